"""Check an uploaded .docx before any of its XML is parsed.

Everything here looks at the zip container only (its end record, central directory and member
headers) plus [Content_Types].xml and the first bytes of each XML member, so it answers in
well under a second for any file up to ``max_bytes``. The default limits are far above what a
negotiated text needs (a 200-paragraph resolution is a 50 KB .docx whose document.xml is under
1 MB) and far below what hurts the server:

- ``max_bytes`` 15 MiB: the upload itself (the app's UPLOAD_MAX_BYTES).
- ``max_members`` 2,000: zip members; Word writes about 15, a file with many images a few hundred.
- ``max_uncompressed`` 150 MiB: declared unpacked size of all members together.
- ``max_part`` 30 MiB: declared unpacked size of one XML member (document.xml, styles.xml ...).
- ``max_ratio`` 100: unpacked/packed size of any member above 1 MiB; Word's XML packs 5 to 35
  to 1, a run of zeros about 1,000 to 1 (zip bomb).

The reader adds two limits on the parsed body (DocxLimits): ``max_elements`` 400,000 XML elements
and ``max_paragraphs`` 20,000 paragraphs (a long resolution has 40 elements a paragraph and a
few hundred paragraphs), which keep reading under about two seconds.

Declared sizes can be trusted as limits: zipfile never inflates a member past its declared size
(it stops and fails the CRC check instead).
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

MiB = 1024 * 1024
MAX_BYTES = 15 * MiB
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED = 150 * MiB
MAX_PART = 30 * MiB
MAX_RATIO = 100
#: members smaller than this are not ratio-checked: Word's own styles.xml packs 30 to 1
RATIO_FLOOR = 1 * MiB
#: the reader refuses a body with more XML elements or paragraphs than these (about 1 s of work each)
MAX_ELEMENTS = 400_000
MAX_PARAGRAPHS = 20_000
#: how much of each XML member is scanned for a document type declaration
PROLOG_SCAN = 64 * 1024

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: the package relationship naming the main part ("officeDocument"), in a transitional file
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
#: where ISO/IEC 29500 Strict puts its namespaces and relationship types
STRICT_PREFIX = "http://purl.oclc.org/ooxml/"

DAMAGED = (
    "The file is damaged or incomplete (perhaps cut off during upload or download). "
    "Open it in Word, save it again and upload the new copy."
)
#: user-facing explanations of files that are not .docx, by their first bytes
MAGIC = (
    (b"%PDF-", "This is a PDF, not a Word file. Upload the Word (.docx) version of the document."),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "This is an old-format Word file (.doc) or a password-protected document. Open it in Word, "
        "remove any password and save it as a Word document (.docx).",
    ),
    (b"{\\rtf", "This is an RTF file. Save it in Word as a Word document (.docx) and upload that."),
)
#: main content types of other zip-based formats, with what to tell the user
OTHER_MAIN_TYPES = (
    (
        "wordprocessingml.template",
        "This is a Word template (.dotx). Save it in Word as a document (.docx) and upload that.",
    ),
    ("spreadsheetml", "This is an Excel workbook, not a Word document."),
    ("presentationml", "This is a PowerPoint presentation, not a Word document."),
)
MACROS = "The file contains macros (.docm). Save it in Word as a Word document (.docx) and upload that."
NOT_WORD = "This is not a Word document (.docx)."
DTD_REFUSED = "The file contains an XML document type declaration, which Word never writes; it is refused."
STRICT = "The file is saved in the Strict Open XML format; save it again as a Word Document (.docx) and upload that."


class UnsafeDocument(ValueError):
    """An upload was refused; ``message`` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnreadableDocument(UnsafeDocument):
    """An upload passed the checks but could not be parsed as a Word document."""


@dataclass(frozen=True, slots=True)
class DocxLimits:
    """Limits applied to an uploaded .docx; see the module docstring for the defaults."""

    max_bytes: int = MAX_BYTES
    max_members: int = MAX_MEMBERS
    max_uncompressed: int = MAX_UNCOMPRESSED
    max_ratio: int = MAX_RATIO
    max_part: int = MAX_PART
    max_elements: int = MAX_ELEMENTS
    max_paragraphs: int = MAX_PARAGRAPHS


def check_docx(
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_members: int = MAX_MEMBERS,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_ratio: int = MAX_RATIO,
    max_part: int = MAX_PART,
) -> None:
    """Raise UnsafeDocument unless ``data`` looks like a safe, plain Word document."""
    if not data:
        raise UnsafeDocument("The file is empty.")
    if len(data) > max_bytes:
        raise UnsafeDocument(f"The file is larger than {_mb(max_bytes)}; a Word draft is usually well under 1 MB.")
    _check_magic(data)
    _check_end_record(data, max_members)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            _check_members(infos, max_members, max_uncompressed, max_ratio, max_part)
            _check_xml_prologs(zf, infos)
            _check_content_types(zf)
    except UnsafeDocument:
        raise
    except Exception as exc:  # the zip layer raises many types on hostile bytes (zlib.error, struct.error ...)
        raise UnsafeDocument(DAMAGED) from exc


def parse_xml(data: bytes) -> etree._Element:
    """Return the root of an XML part parsed without entities, network, DTDs or huge trees."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocument(DAMAGED) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnsafeDocument(DTD_REFUSED)
    return root


def _mb(n: int) -> str:
    return f"{n / MiB:g} MB"


def _check_magic(data: bytes) -> None:
    """Name the format of a file that is not a zip, when its first bytes say what it is."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return
    for magic, message in MAGIC:
        if data.startswith(magic):
            raise UnsafeDocument(message)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")):
        raise UnsafeDocument("This is a web page or XML file, not a Word document (.docx).")
    raise UnsafeDocument(NOT_WORD)


def _check_end_record(data: bytes, max_members: int) -> None:
    """Read the zip's end record so a huge member count is refused before zipfile lists it."""
    tail = data[-(22 + 0xFFFF) :]
    pos = len(tail) - 22 if tail[-22:-18] == b"PK\x05\x06" else tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        raise UnsafeDocument(DAMAGED)
    _, _, _, _, total, cd_size, _, _ = struct.unpack("<4s4H2LH", tail[pos : pos + 22])
    # 0xFFFF means "see the zip64 record": at least 65,535 members, never a Word file.
    # A central directory entry of a real docx is under 200 bytes: a far larger directory
    # hides more members than the record admits.
    if total > max_members or cd_size > max_members * 1024:
        raise UnsafeDocument(f"The file has too many parts (more than {max_members:,}) to be a Word document.")


def _check_members(
    infos: list[zipfile.ZipInfo], max_members: int, max_uncompressed: int, max_ratio: int, max_part: int
) -> None:
    """Refuse encrypted, oddly named, oversized or over-compressed members, and macros."""
    if len(infos) > max_members:
        raise UnsafeDocument(f"The file has too many parts (more than {max_members:,}) to be a Word document.")
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        _check_name(name, seen)
        if info.flag_bits & 0x1:
            raise UnsafeDocument("The file is password-protected. Remove the password in Word and upload it again.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnsafeDocument("The file uses a compression method Word never writes.")
        if name.lower().rsplit("/", 1)[-1] in ("vbaproject.bin", "vbadata.xml"):
            raise UnsafeDocument(MACROS)
        total += info.file_size
        if total > max_uncompressed:
            raise UnsafeDocument(
                f"The file unpacks to more than {_mb(max_uncompressed)}; it is not a normal Word document."
            )
        if _is_xml(name) and info.file_size > max_part:
            raise UnsafeDocument(f"The part {name} unpacks to more than {_mb(max_part)}; it is too large to read.")
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise UnsafeDocument(
                f"The part {name} is compressed more than {max_ratio} to 1, like a 'zip bomb'; the file is refused."
            )


def _check_name(name: str, seen: set[str]) -> None:
    """Refuse absolute, parent-relative and duplicate member names (OPC names ignore case)."""
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or ":" in parts[0] or "\x00" in name:
        raise UnsafeDocument(f"The file contains a part with an unsafe name ({name[:80]!r}); it is refused.")
    key = name.lower()
    if key in seen:
        raise UnsafeDocument(f"The file contains the part {name[:80]!r} twice; it is refused.")
    seen.add(key)


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _check_xml_prologs(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse XML members that declare a DTD: Word never writes one; entity attacks need one."""
    for info in infos:
        if not _is_xml(info.filename):
            continue
        with zf.open(info) as member:
            head = member.read(PROLOG_SCAN)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[1:2] == b"\x00" or head[:1] == b"\x00":
            text = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
        else:
            text = head
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
            raise UnsafeDocument(DTD_REFUSED)


def _check_content_types(zf: zipfile.ZipFile) -> None:
    """Refuse a package whose main part is not a Word document, or that declares macros.

    The main part is the target of the package's officeDocument relationship (usually
    word/document.xml); its content type is its Override, else the Default of its extension,
    as in Word, LibreOffice and python-docx.
    """
    names = {n.lower() for n in zf.namelist()}
    if "mimetype" in zf.namelist():
        with zf.open("mimetype") as member:
            if b"opendocument" in member.read(100):
                raise UnsafeDocument(
                    "This is an OpenDocument file (.odt). Save it as a Word document (.docx) and upload that."
                )
    root = _small_part(zf, "[Content_Types].xml")
    if root is None:
        raise UnsafeDocument(NOT_WORD)
    overrides = {_part_key(el.get("PartName")): el.get("ContentType") or "" for el in root.iter(f"{CT_NS}Override")}
    defaults = {(el.get("Extension") or "").lower(): el.get("ContentType") or "" for el in root.iter(f"{CT_NS}Default")}
    types = {*overrides.values(), *defaults.values()}
    if any("vbaProject" in t or "macroEnabled" in t for t in types):
        raise UnsafeDocument(MACROS)
    main = _main_part(zf)
    if main is None:  # python-docx will find no main part either; judge the part Word would use
        main = next((name for name, kind in overrides.items() if kind == WORD_MAIN), "")
    kind = overrides.get(main) or defaults.get(posixpath.splitext(main)[1].lstrip("."), "")
    if kind != WORD_MAIN:
        for marker, message in OTHER_MAIN_TYPES:
            if any(marker in t for t in types):
                raise UnsafeDocument(message)
        raise UnsafeDocument(NOT_WORD)
    if main not in names:
        raise UnsafeDocument(DAMAGED)


def _small_part(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    """Return the root of a package part of at most 1 MiB, or None when there is none."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MiB:
        raise UnsafeDocument(NOT_WORD)
    return parse_xml(zf.read(info))


def _part_key(name: str | None) -> str:
    """Return a part name as a zip member name to compare: no leading slash, %-escapes read, lower case."""
    return posixpath.normpath("/" + unquote(name or "")).lstrip("/").lower()


def _main_part(zf: zipfile.ZipFile) -> str | None:
    """Return the main part named by _rels/.rels (as _part_key gives it), or None when it names none.

    A Strict Open XML file (ISO/IEC 29500 Strict) is refused here with its own message: its
    relationship types and namespaces differ from the ones every other reader expects.
    """
    root = _small_part(zf, "_rels/.rels")
    if root is None:
        return None
    found = None
    for rel in root.iter(f"{RELS_NS}Relationship"):
        kind = rel.get("Type") or ""
        if kind.startswith(STRICT_PREFIX):
            raise UnsafeDocument(STRICT)
        if kind == OFFICE_DOCUMENT and rel.get("TargetMode") != "External" and found is None:
            found = _part_key(rel.get("Target"))
    return found
