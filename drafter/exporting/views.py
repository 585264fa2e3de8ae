"""The Word files page: generate clean, tracked, compilation and Akoma Ntoso exports, download archived ones."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_login import login_required

from drafter.auth.permissions import Action, abilities, can_export, can_read_revision
from drafter.auth.sessions import user
from drafter.drafting.guards import negotiation_or_404, require, revision_or_404
from drafter.drafting.models import Negotiation, Revision
from drafter.errors import DrafterError
from drafter.exporting import services
from drafter.exporting.forms import ArchiveFilterForm, ExportForm
from drafter.exporting.models import ExportKind, ExportRecord
from drafter.extensions import db
from drafter.forms import show_refusal
from drafter.web import require_that

bp = Blueprint("exporting", __name__)


def _export_dir() -> Path:
    return Path(current_app.config["EXPORT_DIR"])


@bp.route("/n/<slug>/exports")
@login_required
def index(slug: str):
    n = negotiation_or_404(slug)
    require(n, Action.EXPORT_ANY, Action.EXPORT_PUBLIC)
    return _page(n)


def _page(n: Negotiation, refused: ExportForm | None = None) -> str:
    """Render the Word files page: the archive, and a form for each kind of file (``refused`` shown again)."""
    me = user()
    revisions = [r for r in n.revisions if can_read_revision(me, r)]
    filters = ArchiveFilterForm(formdata=request.args)
    q = sa.select(ExportRecord).where(ExportRecord.negotiation_id == n.id).order_by(ExportRecord.id.desc())
    if filters.kind.data is not None:
        q = q.where(ExportRecord.kind == filters.kind.data)
    records = [r for r in db.session.scalars(q.limit(500)) if _may_download(r)]
    compilable = [r for r in revisions if r.state.is_public and can_export(me, ExportKind.COMPILATION.value, r)]
    forms = {kind: ExportForm(formdata=None, data={"author": _default_author()}) for kind in ExportKind}
    if refused is not None and refused.kind.data in forms:
        forms[refused.kind.data] = refused
    forms[ExportKind.CLEAN].offer(revisions)
    forms[ExportKind.AKN].offer(revisions)
    forms[ExportKind.TRACKED].offer(revisions, against=revisions[-2].seq if len(revisions) > 1 else None)
    forms[ExportKind.COMPILATION].offer(compilable)
    # a request of no known kind is answered above the three forms
    unplaced = [*refused.kind.errors, *refused.form_errors] if refused is not None and refused.kind.data is None else []
    return render_template(
        "exporting/index.html",
        negotiation=n,
        revisions=revisions,
        records=records,
        filters=filters,
        compilable=compilable,
        clean=forms[ExportKind.CLEAN],
        akn=forms[ExportKind.AKN],
        tracked=forms[ExportKind.TRACKED],
        compilation=forms[ExportKind.COMPILATION],
        unplaced=unplaced,
        may=abilities(me, n),
    )


def _default_author() -> str:
    return current_app.config.get("TRACKED_AUTHOR", services.DEFAULT_AUTHOR)


def _may_download(record: ExportRecord) -> bool:
    """Return True when the user may read the record's revisions and export its kind."""
    me = user()
    revisions = [record.revision] + ([record.from_revision] if record.from_revision is not None else [])
    return all(can_read_revision(me, r) for r in revisions) and can_export(
        me, record.kind.value, record.revision, record.from_revision
    )


@bp.route("/n/<slug>/exports/new", methods=["POST"])
@login_required
def create(slug: str):
    n = negotiation_or_404(slug)
    form = ExportForm()
    valid = form.validate()
    # revisions the user may not read are not found, before anything else is said about the request
    revision, from_revision = _revisions(n, form)
    require(n, Action.EXPORT_ANY, Action.EXPORT_PUBLIC)
    if not valid or revision is None:
        return _page(n, form), 400
    require_that(can_export(user(), form.kind.data.value, revision, from_revision))
    try:
        export, options = _make(form, revision, from_revision)
        record = services.archive(
            db.session,
            user(),
            export,
            export_dir=_export_dir(),
            revision=revision,
            from_revision=from_revision,
            options=options,
        )
    except DrafterError as e:
        status = show_refusal(form, e)
        return _page(n, form), status
    return redirect(url_for("exporting.download", slug=slug, record_id=record.id))


def _revisions(n: Negotiation, form: ExportForm) -> tuple[Revision | None, Revision | None]:
    """Return the revision to export and, for a tracked file, the one it is compared against (by default
    its base); 404 for one the user may not read, None for one the form could not read."""
    if form.revision.errors:
        return None, None
    revision = revision_or_404(n, form.revision.data or 0)
    if form.kind.data is not ExportKind.TRACKED or form.from_.errors:
        return revision, None
    return revision, revision_or_404(
        n, form.from_.data or (revision.base_revision.seq if revision.base_revision else 0)
    )


def _make(form: ExportForm, revision: Revision, from_revision: Revision | None) -> tuple[services.Export, dict]:
    """Return the Word file the form asks for, and the options it was made with (kept in the archive)."""
    kind = form.kind.data
    if kind is ExportKind.CLEAN:
        options = {"show_status": form.show_status.data}
        return services.clean_export(db.session, revision, show_status=options["show_status"]), options
    if kind is ExportKind.AKN:
        return services.akn_export(db.session, revision), {}
    if kind is ExportKind.TRACKED:
        assert from_revision is not None
        options = {"author": form.author.data or _default_author()}
        return services.tracked_export(db.session, from_revision, revision, author=options["author"]), options
    options = {"style": form.style.data, "only_with_proposals": bool(form.only_with_proposals.data)}
    export = services.compilation_export(
        db.session, revision, style=options["style"], only_with_proposals=options["only_with_proposals"]
    )
    return export, options


@bp.route("/n/<slug>/exports/<int:record_id>/download")
@login_required
def download(slug: str, record_id: int):
    n = negotiation_or_404(slug)
    record = db.session.get(ExportRecord, record_id)
    if record is None or record.negotiation_id != n.id or not can_read_revision(user(), record.revision):
        abort(404)
    if record.from_revision is not None and not can_read_revision(user(), record.from_revision):
        abort(404)
    require_that(can_export(user(), record.kind.value, record.revision, record.from_revision))
    data = services.read_archived(record, _export_dir())
    return send_file(
        BytesIO(data),
        as_attachment=True,
        download_name=record.filename,
        mimetype=record.kind.mimetype,
    )
