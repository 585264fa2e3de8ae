"""The "go to paragraph" box of the long pages: a reference typed (PP3, OP65, 12 bis) to the paragraph's place."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, urlencode

from flask import redirect, request

from drafter.drafting.forms import GoToForm
from drafter.drafting.labels import find_paragraph
from drafter.drafting.models import Revision
from drafter.errors import InvalidInput


def go_to(revision: Revision, keep: Iterable[str] = ()):
    """Return the box's form and, when it names a paragraph of the revision, the redirect to it.

    The redirect goes to the same page at the paragraph (``#p<lineage id>``), keeping of the query
    string only ``keep`` (the revisions compared, say): a filter could hide the paragraph asked for.
    A reference that names none leaves its message on the form's field, and no redirect.
    """
    form = GoToForm(formdata=request.args)
    if not form.go.data:
        return form, None
    if not form.validate():
        return form, None
    try:
        v = find_paragraph(revision, form.go.data)
    except InvalidInput as e:
        form.go.errors = [e.message]
        return form, None
    query = urlencode([(k, value) for k in keep for value in request.args.getlist(k)])
    return form, redirect(quote(request.path) + (f"?{query}" if query else "") + f"#p{v.paragraph_id}")
