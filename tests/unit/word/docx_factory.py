"""Build small .docx files in memory for the reader tests: python-docx's template plus raw OOXML.

``make_docx(body)`` puts the given ``w:body`` content into python-docx's default document, and
optionally numbering definitions, extra styles and footnotes. The helpers below write the usual
pieces (paragraphs, runs, revisions) so a test reads like the XML Word would write.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

import docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)
DATE = "2025-11-07T12:00:00Z"
_ids = itertools.count(1)
RELS = "word/_rels/document.xml.rels"
CT = "[Content_Types].xml"
NOTE_TYPES = {
    "footnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "endnotes": "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
}


@lru_cache(maxsize=1)
def template() -> dict[str, bytes]:
    """Return the members of python-docx's default document."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def zip_members(members: dict[str, bytes]) -> bytes:
    """Return a deflated zip of the members, in the given order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def document_xml(body: str) -> bytes:
    """Return a document.xml whose body holds ``body``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>"
    ).encode()


def make_docx(body: str, *, numbering: str = "", styles: str = "", footnotes: str = "", endnotes: str = "") -> bytes:
    """Return a .docx with the given body, numbering definitions, extra styles and notes."""
    members = dict(template())
    members["word/document.xml"] = document_xml(body)
    if numbering:
        members["word/numbering.xml"] = f"<w:numbering {NAMESPACES}>{numbering}</w:numbering>".encode()
    if styles:
        members["word/styles.xml"] = members["word/styles.xml"].replace(
            b"</w:styles>", styles.encode() + b"</w:styles>"
        )
    for kind, notes in (("footnotes", footnotes), ("endnotes", endnotes)):
        if notes:
            tag = kind[:-1]
            separators = f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
            members[f"word/{kind}.xml"] = f"<w:{kind} {NAMESPACES}>{separators}{notes}</w:{kind}>".encode()
            relationship = (
                f'<Relationship Id="rId9{kind}" Target="{kind}.xml" '
                f'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}"/>'
            )
            members[RELS] = members[RELS].replace(b"</Relationships>", relationship.encode() + b"</Relationships>")
            override = f'<Override PartName="/word/{kind}.xml" ContentType="{NOTE_TYPES[kind]}"/>'
            members[CT] = members[CT].replace(b"</Types>", override.encode() + b"</Types>")
    return zip_members(members)


def p(*content: str, style: str = "", num: tuple[int, int] | None = None, mark: str = "", ppr: str = "") -> str:
    """Return a paragraph: ``content`` is runs and revisions; ``mark`` a revision of its mark."""
    props = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num is not None:
        props += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    props += ppr
    if mark:
        props += f"<w:rPr>{mark}</w:rPr>"
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{''.join(content)}</w:p>"


def r(text: str, *, italic: bool = False, bold: bool = False, deleted: bool = False, rpr: str = "") -> str:
    """Return a run of text (w:delText when ``deleted``), italic or bold when asked."""
    props = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + rpr
    tag = "w:delText" if deleted else "w:t"
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<{tag} xml:space="preserve">{escape(text)}</{tag}></w:r>'


def _rev(tag: str, author: str, date: str) -> str:
    return f'<w:{tag} w:id="{next(_ids)}" w:author={quoteattr(author)} w:date="{date}"'


def ins(*content: str, author: str = "Alice", date: str = DATE) -> str:
    """Return an insertion; plain strings become runs."""
    return f"{_rev('ins', author, date)}>{''.join(_runs(content, False))}</w:ins>"


def dele(*content: str, author: str = "Alice", date: str = DATE) -> str:
    """Return a deletion; plain strings become runs of w:delText."""
    return f"{_rev('del', author, date)}>{''.join(_runs(content, True))}</w:del>"


def move(kind: str, *content: str, author: str = "Alice", date: str = DATE) -> str:
    """Return a w:moveFrom or w:moveTo."""
    return f"{_rev(kind, author, date)}>{''.join(_runs(content, kind == 'moveFrom'))}</w:{kind}>"


def mark_ins(author: str = "Alice", date: str = DATE) -> str:
    """Return the revision element of an inserted paragraph mark."""
    return _rev("ins", author, date) + "/>"


def mark_del(author: str = "Alice", date: str = DATE) -> str:
    """Return the revision element of a deleted paragraph mark."""
    return _rev("del", author, date) + "/>"


def _runs(content: tuple[str, ...], deleted: bool) -> list[str]:
    return [c if c.startswith("<") else r(c, deleted=deleted) for c in content]


def abstract_num(abstract_id: int, *levels: tuple[str, str] | tuple[str, str, int], extra: str = "") -> str:
    """Return a w:abstractNum whose levels are (numFmt, lvlText[, start]) from ilvl 0 down."""
    out = [f'<w:abstractNum w:abstractNumId="{abstract_id}">{extra}']
    for ilvl, level in enumerate(levels):
        fmt, text, start = (*level, 1) if len(level) == 2 else level
        out.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{escape(text)}"/></w:lvl>'
        )
    return "".join(out) + "</w:abstractNum>"


def num(num_id: int, abstract_id: int, overrides: str = "") -> str:
    """Return a w:num; ``overrides`` holds its w:lvlOverride elements."""
    return f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'


def start_override(ilvl: int, start: int) -> str:
    """Return a w:lvlOverride restarting level ``ilvl`` at ``start``."""
    return f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'


def paragraph_style(style_id: str, *, based_on: str = "", ppr: str = "", rpr: str = "") -> str:
    """Return a paragraph w:style."""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{style_id}"/>{based}'
        f"{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}</w:style>"
    )


def note(kind: str, note_id: int, *paragraphs: str) -> str:
    """Return a footnote or endnote (``kind`` "footnote" or "endnote") with plain-text paragraphs."""
    body = "".join(p(f"<w:r><w:{kind}Ref/></w:r>", r(" " + text)) for text in paragraphs)
    return f'<w:{kind} w:id="{note_id}">{body}</w:{kind}>'


def note_ref(kind: str, note_id: int) -> str:
    """Return a run referencing a footnote or endnote."""
    return f'<w:r><w:{kind}Reference w:id="{note_id}"/></w:r>'


# -- Hostile and wrong uploads, shared by the service, CLI and web tests ----------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
    + f"]>\n<w:document {NAMESPACES}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
).encode()


def _with_document(document: bytes) -> bytes:
    members = dict(template())
    members["word/document.xml"] = document
    return zip_members(members)


@lru_cache(maxsize=1)
def hostile_files() -> dict[str, tuple[bytes, str]]:
    """Return uploads that must be refused: name → (bytes, a fragment of the message the user gets)."""
    valid = make_docx(p(r("Recalling its resolution,")) * 40)
    bomb = dict(template())
    bomb["word/document.xml"] = document_xml(p(r("Decides to act.")))
    bomb["word/media/image1.png"] = bytes(40 * 1024 * 1024)  # packs about 1,000 to 1
    docm = dict(template())
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    docm[CT] = docm[CT].replace(main, b"application/vnd.ms-word.document.macroEnabled.main+xml")
    docm["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + bytes(200)
    return {
        "empty-file": (b"", "empty"),
        "not-a-zip": (b"Dear colleagues, please find our proposals below.\n" * 20, "not a Word document"),
        "truncated": (valid[: len(valid) // 2], "damaged or incomplete"),
        "zip-bomb": (zip_members(bomb), "zip bomb"),
        "billion-laughs": (_with_document(BILLION_LAUGHS), "document type declaration"),
        "pdf-renamed": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n", "PDF"),
        "docm-macros": (zip_members(docm), "macros"),
        "empty-document": (make_docx(""), "no"),
        "only-empty-paragraphs": (make_docx(p() * 20), "no"),
        "three-million-paragraphs": (make_docx("<w:p/>" * 3_000_000), "refused"),
    }


# -- Files written by other programs: odd packages, Strict, tables, text boxes, drop caps -----------

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"


def unzip(data: bytes) -> dict[str, bytes]:
    """Return the members of a zip, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def main_by_default(body: str) -> bytes:
    """Return a .docx whose main part's content type comes from a Default, with no Override for it."""
    members = unzip(make_docx(body))
    types = members[CT].replace(f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/>'.encode(), b"")
    members[CT] = types.replace(
        b'Extension="xml" ContentType="application/xml"', f'Extension="xml" ContentType="{WORD_MAIN}"'.encode()
    )
    return zip_members(members)


def main_moved(body: str, name: str = "word/body.xml") -> bytes:
    """Return a .docx whose main part is ``name`` (in word/), found through _rels/.rels."""
    members = unzip(make_docx(body))
    members[name] = members.pop("word/document.xml")
    members[f"word/_rels/{name.rsplit('/', 1)[1]}.rels"] = members.pop(RELS)
    members[CT] = members[CT].replace(b'PartName="/word/document.xml"', f'PartName="/{name}"'.encode())
    members["_rels/.rels"] = members["_rels/.rels"].replace(b'Target="word/document.xml"', f'Target="/{name}"'.encode())
    return zip_members(members)


def strict_docx(text: str) -> bytes:
    """Return a minimal ISO/IEC 29500 Strict document holding one paragraph."""
    strict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
    return zip_members(
        {
            CT: (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/></Types>'
            ).encode(),
            "_rels/.rels": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{strict}/officeDocument" Target="word/document.xml"/></Relationships>'
            ).encode(),
            "word/document.xml": (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<w:document xmlns:w="{STRICT_W}" w:conformance="strict"><w:body>'
                f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p></w:body></w:document>"
            ).encode(),
        }
    )


def table(*rows: tuple[str, ...]) -> str:
    """Return a w:tbl; each row is a tuple of cells, each cell the XML of its paragraphs."""
    cells = ["".join(f"<w:tc><w:tcPr/>{cell or '<w:p/>'}</w:tc>" for cell in row) for row in rows]
    return f"<w:tbl><w:tblPr/>{''.join(f'<w:tr>{c}</w:tr>' for c in cells)}</w:tbl>"


def text_box(*paragraphs: str, fallback: bool = True) -> str:
    """Return a run holding a DrawingML text box of the paragraphs, and its VML copy as Word writes it."""
    content = f"<w:txbxContent>{''.join(paragraphs)}</w:txbxContent>"
    shape = (
        '<w:drawing><wp:anchor><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{content}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )
    vml = f"<w:pict><v:shape><v:textbox>{content}</v:textbox></v:shape></w:pict>"
    if not fallback:
        return f"<w:r>{shape}</w:r>"
    return (
        f'<w:r><mc:AlternateContent><mc:Choice Requires="wps">{shape}</mc:Choice>'
        f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent></w:r>"
    )


def drop_cap(letter: str, *, how: str = "drop") -> str:
    """Return the framed paragraph Word makes of a dropped initial letter."""
    frame = f'<w:framePr w:dropCap="{how}" w:lines="3" w:wrap="around" w:vAnchor="text" w:hAnchor="text"/>'
    return p(r(letter), ppr=frame)
