"""The "go to paragraph" box of the long pages: a reference typed (PP3, OP65, 12 bis) to the paragraph's place."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote, urlencode

from flask import redirect, request

from drafter.drafting.forms import GoToForm
from drafter.drafting.labels import find_paragraph, ref_key
from drafter.drafting.models import Revision
from drafter.errors import InvalidInput


def go_to(revision: Revision, keep: Iterable[str] = (), also: Callable[[], Mapping[str, str]] | None = None):
    """Return the box's form and, when it names a paragraph of the revision, the redirect to it.

    The redirect goes to the same page at the paragraph (``#p<lineage id>``), keeping of the query
    string only ``keep`` (the revisions compared, say): a filter could hide the paragraph asked for.
    ``also`` returns more places the page has, by reference (the compilation's proposed "12 bis":
    the id of its element), asked first. A reference that names none leaves its message on the
    form's field, and no redirect.
    """
    form = GoToForm(formdata=request.args)
    if not form.go.data or not form.validate():
        return form, None
    wanted = ref_key(form.go.data)
    anchor = next((a for ref, a in (also() if also else {}).items() if ref_key(ref) == wanted), None)
    if anchor is None:
        try:
            anchor = f"p{find_paragraph(revision, form.go.data).paragraph_id}"
        except InvalidInput as e:
            form.go.errors = [e.message]
            return form, None
    query = urlencode([(k, value) for k in keep for value in request.args.getlist(k)])
    return form, redirect(quote(request.path) + (f"?{query}" if query else "") + f"#{anchor}")
