"""The Word files page: generate clean, tracked and compilation exports, download archived ones."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import login_required

from drafter.auth.permissions import Action, abilities, can_export, can_read_revision
from drafter.errors import InvalidInput
from drafter.exporting import services
from drafter.exporting.models import ExportKind, ExportRecord
from drafter.extensions import db
from drafter.guards import db_int, negotiation_or_404, require, revision_or_404, user

bp = Blueprint("exporting", __name__)


def _export_dir() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


@bp.route("/n/<slug>/exports")
@login_required
def index(slug: str):
    n = negotiation_or_404(slug)
    me = user()
    require(n, Action.EXPORT_ANY, Action.EXPORT_PUBLIC)
    revisions = [r for r in n.revisions if can_read_revision(me, r)]
    q = sa.select(ExportRecord).where(ExportRecord.negotiation_id == n.id).order_by(ExportRecord.id.desc())
    kind = request.args.get("kind", "")
    if kind in {k.value for k in ExportKind}:
        q = q.where(ExportRecord.kind == ExportKind(kind))
    records = [r for r in db.session.scalars(q.limit(500)) if _may_download(r)]
    compilable = [r for r in revisions if r.state.is_public and can_export(me, ExportKind.COMPILATION.value, r)]
    return render_template("exporting/index.html", negotiation=n, revisions=revisions, records=records, kind=kind,
                           compilable=compilable,
                           kinds=list(ExportKind), may=abilities(me, n),
                           default_author=current_app.config.get("TRACKED_AUTHOR", services.DEFAULT_AUTHOR))


def _may_download(record: ExportRecord) -> bool:
    """Return True when the user may read the record's revisions and export its kind."""
    me = user()
    revisions = [record.revision] + ([record.from_revision] if record.from_revision is not None else [])
    return all(can_read_revision(me, r) for r in revisions) and can_export(me, record.kind.value, record.revision,
                                                                             record.from_revision)


@bp.route("/n/<slug>/exports/new", methods=["POST"])
@login_required
def create(slug: str):
    n = negotiation_or_404(slug)
    try:
        kind = ExportKind(request.form.get("kind", ""))
    except ValueError:
        raise InvalidInput("Choose clean, tracked or compilation.") from None
    revision = revision_or_404(n, request.form.get("revision", type=db_int) or 0)
    from_revision = None
    if kind is ExportKind.TRACKED:
        from_seq = request.form.get("from", type=db_int) or (revision.base_revision.seq if revision.base_revision else 0)
        from_revision = revision_or_404(n, from_seq)
    if not can_export(user(), kind.value, revision, from_revision):
        abort(403)
    options: dict = {}
    if kind is ExportKind.CLEAN:
        options["show_status"] = request.form.get("show_status") == "1"
        export = services.clean_export(db.session, revision, show_status=options["show_status"])
    elif kind is ExportKind.TRACKED:
        assert from_revision is not None
        options["author"] = request.form.get("author") or current_app.config.get("TRACKED_AUTHOR", services.DEFAULT_AUTHOR)
        export = services.tracked_export(db.session, from_revision, revision, author=options["author"])
    else:
        options["style"] = "tracked" if request.form.get("style") == "tracked" else "formatted"
        export = services.compilation_export(db.session, revision, style=options["style"])
    record = services.archive(db.session, user(), export, export_dir=_export_dir(), revision=revision,
                              from_revision=from_revision, options=options)
    return redirect(url_for("exporting.download", slug=slug, record_id=record.id))


@bp.route("/n/<slug>/exports/<int:record_id>/download")
@login_required
def download(slug: str, record_id: int):
    n = negotiation_or_404(slug)
    record = db.session.get(ExportRecord, record_id)
    if record is None or record.negotiation_id != n.id or not can_read_revision(user(), record.revision):
        abort(404)
    if record.from_revision is not None and not can_read_revision(user(), record.from_revision):
        abort(404)
    if not can_export(user(), record.kind.value, record.revision, record.from_revision):
        abort(403)
    data = services.read_archived(record, _export_dir())
    return send_file(BytesIO(data), as_attachment=True, download_name=record.filename,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
