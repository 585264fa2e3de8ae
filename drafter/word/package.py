"""Save a document as .docx bytes that depend only on the document and a given timestamp.

python-docx stamps zip members with the current time, so two saves of the same document
differ; an export is verified later by its sha256, so the package is rewritten here with
fixed member order, dates, permissions and compression.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx.document import Document

AUTHOR = "Drafter"
#: members that conventionally open a package, in this order; the rest follow sorted by name
_FIRST = ("[Content_Types].xml", "_rels/.rels")
_ZIP_MIN = dt.datetime(1980, 1, 1)  # the zip format cannot hold earlier dates
_ZIP_MAX = dt.datetime(2107, 12, 31, 23, 59, 58)


def _utc_naive(when: dt.datetime) -> dt.datetime:
    """Return ``when`` in UTC without tzinfo (naive values are taken to be UTC already)."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.replace(microsecond=0)


def _set_core_properties(document: Document, when: dt.datetime) -> None:
    props = document.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1


def _order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


def normalize_zip(data: bytes, when: dt.datetime) -> bytes:
    """Return the zip ``data`` rewritten with fixed order, dates, permissions and compression."""
    stamp = min(max(_utc_naive(when), _ZIP_MIN), _ZIP_MAX)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist(), key=_order):
            info = zipfile.ZipInfo(name, date_time)
            info.create_system = 3  # the default depends on the platform saving the file
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name), compresslevel=6)
    return out.getvalue()


def save_docx(document: Document, *, timestamp: dt.datetime) -> bytes:
    """Return the document as .docx bytes; equal documents and timestamps give equal bytes."""
    when = _utc_naive(timestamp)
    _set_core_properties(document, when)
    raw = io.BytesIO()
    document.save(raw)
    return normalize_zip(raw.getvalue(), when)
