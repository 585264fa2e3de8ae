"""Hostile and wrong uploads: each is refused with a clear message, fast, before XML parsing."""

from __future__ import annotations

import io
import random
import struct
import time
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from drafter.word.reader import read_docx
from drafter.word.safety import DocxLimits, MiB, UnreadableDocument, UnsafeDocument, check_docx
from tests.support.timing import bound
from tests.unit.word.docx_factory import document_xml, make_docx, p, r, template, zip_members

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SECONDS = 2.0


@contextmanager
def refused(*fragments: str, kind: type[UnsafeDocument] = UnsafeDocument) -> Iterator[None]:
    """Expect ``kind`` raised within SECONDS, its message containing every fragment."""
    start = time.perf_counter()
    with pytest.raises(kind) as info:
        yield
    elapsed = time.perf_counter() - start
    assert elapsed < bound(SECONDS), f"took {elapsed:.2f} s"
    for fragment in fragments:
        assert fragment.lower() in info.value.message.lower()
    assert info.value.message == str(info.value)


def with_members(**changes: bytes | None) -> bytes:
    """Return the template document with members replaced, added, or (None) removed."""
    members = dict(template())
    members["word/document.xml"] = document_xml(p(r("One paragraph.")))
    for key, data in changes.items():
        name = {"content_types": "[Content_Types].xml", "document": "word/document.xml"}.get(key, key)
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    return zip_members(members)


def patch_central_directory(data: bytes, member: str, offset: int, fmt: str, value: int) -> bytes:
    """Return ``data`` with one field of ``member``'s central directory entry overwritten."""
    entry = data.rindex(b"PK\x01\x02", 0, data.rindex(member.encode()) + 1)
    return data[: entry + offset] + struct.pack(fmt, value) + data[entry + offset + struct.calcsize(fmt) :]


def test_valid_document_passes() -> None:
    data = make_docx(p(r("Recalling its resolution.")))
    start = time.perf_counter()
    check_docx(data, max_bytes=15 * MiB)
    assert time.perf_counter() - start < bound(0.5)


def test_empty_bytes() -> None:
    with refused("empty"):
        check_docx(b"", max_bytes=MiB)


def test_random_bytes() -> None:
    data = random.Random(7).randbytes(200_000)
    with refused("not a Word document"):
        read_docx(data)


def test_pdf_renamed_docx() -> None:
    with refused("this is a pdf, not a word file"):
        read_docx(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "old-format Word file (.doc)"),
        (b"{\\rtf1\\ansi Hello}", "RTF"),
        (b"<!DOCTYPE html><html><body>Hi</body></html>", "web page"),
        (b"Just some plain text pasted into a file.", "not a Word document"),
    ],
)
def test_other_formats_are_named(data: bytes, fragment: str) -> None:
    with refused(fragment):
        read_docx(data)


def test_file_over_the_size_limit() -> None:
    with refused("larger than 1 MB"):
        check_docx(b"PK\x03\x04" + bytes(MiB), max_bytes=MiB)


@pytest.mark.parametrize("cut", [0.5, 0.97])
def test_truncated_docx(cut: float) -> None:
    data = make_docx(p(r("A paragraph that will be cut off.")) * 50)
    with refused("damaged or incomplete"):
        read_docx(data[: int(len(data) * cut)])


def test_zip_bomb_refused_by_ratio() -> None:
    # 20 MiB of zeros packs to about 20 KB: 1,000 to 1
    data = with_members(**{"word/media/image1.png": bytes(20 * MiB)})
    with refused("zip bomb"):
        read_docx(data)


def test_document_xml_over_the_part_limit() -> None:
    body = b"<w:p/>" * (31 * MiB // 6)
    data = with_members(document=document_xml("").replace(b"<w:sectPr/>", body))
    with refused("word/document.xml", "too large to read"):
        read_docx(data)


def test_part_limit_is_configurable() -> None:
    data = make_docx("".join(p(r(f"Paragraph {i} with some words in it.")) for i in range(20_000)))
    with refused("too large to read"):
        read_docx(data, limits=DocxLimits(max_part=MiB))


def test_declared_sizes_are_limited() -> None:
    data = with_members(**{"word/media/big.bin": b"x" * 1000})
    data = patch_central_directory(data, "word/media/big.bin", 24, "<L", 0xFFFF_FFF0)  # uncompressed size
    with refused("unpacks to more than 150 MB"):
        check_docx(data, max_bytes=15 * MiB)


def test_member_inflating_past_its_declared_size_is_not_inflated() -> None:
    data = with_members(document=document_xml(p(r("x" * 200_000))))
    data = patch_central_directory(data, "word/document.xml", 24, "<L", 1000)
    with refused("damaged"):
        read_docx(data)


def test_zip_with_100000_members() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        for i in range(100_000):
            zf.writestr(f"m/{i}", b"")
    with refused("too many parts"):
        read_docx(out.getvalue())


def test_central_directory_hiding_members_behind_a_small_count() -> None:
    members = {f"word/media/{i}.bin": b"" for i in range(3000)}
    data = with_members(**members)
    eocd = data.rindex(b"PK\x05\x06")
    data = data[: eocd + 8] + struct.pack("<HH", 10, 10) + data[eocd + 12 :]
    with refused("too many parts"):
        check_docx(data, max_bytes=15 * MiB)


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)
XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
)


@pytest.mark.parametrize("document", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_are_refused_before_parsing(document: bytes) -> None:
    with refused("document type declaration"):
        read_docx(with_members(document=document))


@pytest.mark.parametrize("document", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_entity_attacks_hidden_after_a_long_prolog_are_harmless(document: bytes) -> None:
    # past the 64 KB scanned by check_docx: the parser must neither expand nor fetch
    padded = document.replace(b"\n", b"\n<!--" + b" " * 70_000 + b"-->\n", 1)
    start = time.perf_counter()
    try:
        content = read_docx(with_members(document=padded))
    except UnsafeDocument as exc:
        assert "document type declaration" in exc.message or "damaged" in exc.message
    else:
        assert all("root:" not in (p.text or "") and "lollol" not in p.text for p in content.new)
    assert time.perf_counter() - start < bound(SECONDS)


def test_utf16_doctype_is_refused() -> None:
    document = XXE.decode().replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16")
    with refused("document type declaration"):
        check_docx(with_members(document=document), max_bytes=15 * MiB)


def test_docm_with_macros() -> None:
    types = template()["[Content_Types].xml"].replace(
        WORD_MAIN.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    data = with_members(content_types=types, **{"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(100)})
    with refused("macros"):
        read_docx(data)


def test_macro_content_type_alone_is_refused() -> None:
    types = template()["[Content_Types].xml"].replace(
        WORD_MAIN.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml"
    )
    with refused("macros"):
        read_docx(with_members(content_types=types))


def test_xlsx_renamed_docx() -> None:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'
    )
    data = zip_members({"[Content_Types].xml": types.encode(), "xl/workbook.xml": b"<workbook/>"})
    with refused("Excel workbook"):
        read_docx(data)


def test_opendocument_text() -> None:
    data = zip_members({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
    with refused("OpenDocument"):
        read_docx(data)


def test_missing_content_types() -> None:
    with refused("not a Word document"):
        read_docx(with_members(content_types=None))


def test_missing_main_document_part() -> None:
    with refused("damaged"):
        read_docx(with_members(document=None))


def test_document_xml_not_well_formed() -> None:
    data = with_members(document=b'<w:document xmlns:w="x"><w:body><w:p></w:body>')
    with refused("damaged", kind=UnreadableDocument):
        read_docx(data)


def test_encrypted_member() -> None:
    data = patch_central_directory(with_members(), "word/document.xml", 8, "<H", 0x1)  # general purpose flags
    with refused("password-protected"):
        check_docx(data, max_bytes=15 * MiB)


def test_unsupported_compression() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in template().items():
            zf.writestr(
                name, data, compress_type=zipfile.ZIP_BZIP2 if name == "word/styles.xml" else zipfile.ZIP_DEFLATED
            )
    with refused("compression method"):
        check_docx(out.getvalue(), max_bytes=15 * MiB)


@pytest.mark.parametrize("name", ["/word/evil.xml", "../evil.xml", "word/..\\..\\evil.xml", "C:/evil.xml"])
def test_unsafe_member_names(name: str) -> None:
    with refused("unsafe name"):
        check_docx(with_members(**{name: b"<x/>"}), max_bytes=15 * MiB)


def test_duplicate_member_names() -> None:
    members = dict(template())
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate it is asked to write
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("word/Document.xml", b"<w:document/>")
    with refused("twice"):
        check_docx(out.getvalue(), max_bytes=15 * MiB)


def test_too_many_paragraphs_for_the_reader() -> None:
    data = make_docx("<w:p/>" * 30_001)
    with refused("too large to read"):
        read_docx(data)


def test_empty_but_valid_document() -> None:
    start = time.perf_counter()
    content = read_docx(make_docx(""))
    assert time.perf_counter() - start < bound(SECONDS)
    assert content.paragraphs == [] and content.blocks() == [] and content.skipped == []
    assert not content.has_tracked_changes


def test_document_of_empty_paragraphs_gives_no_blocks() -> None:
    content = read_docx(make_docx(p() * 5))
    assert [row.new_text for row in content.paragraphs] == [""] * 5
    assert content.blocks() == []


@pytest.mark.parametrize(
    "build",
    [
        lambda: with_members(document=b"\xef\xbb\xbf" + document_xml(p(r("BOM first")))),
        lambda: make_docx(p(r("Plain"))),
    ],
)
def test_ordinary_files_are_not_refused(build: Callable[[], bytes]) -> None:
    assert read_docx(build()).new[0].text in ("BOM first", "Plain")
