"""Drive a running headless LibreOffice over UNO, one JSON command per line on stdin.

Runs under a Python where ``import uno`` works (Debian's /usr/bin/python3), not the venv's.
Usage: ``python3 uno_driver.py <pipe name>``. Each request is a JSON object with ``cmd`` and
its arguments; each answer is one JSON line ``{"ok": true, "result": ...}`` or
``{"ok": false, "error": "..."}``. The first line written is ``{"ok": true, "result": "ready"}``
once connected.
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def _props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _url(path: str) -> str:
    return uno.systemPathToFileUrl(str(Path(path).resolve()))


class Driver:
    """One connection to one soffice process."""

    def __init__(self, pipe: str, connect_seconds: float) -> None:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + connect_seconds
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # NoConnectException until soffice has opened the pipe
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        smgr = self.ctx.ServiceManager
        self.desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
        self.dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", self.ctx)

    def _load(self, path: str):
        doc = self.desktop.loadComponentFromURL(_url(path), "_blank", 0, _props(Hidden=True, ReadOnly=False))
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {path}")
        return doc

    def _dispatch(self, doc, command: str) -> None:
        frame = doc.getCurrentController().getFrame()
        self.dispatcher.executeDispatch(frame, command, "", 0, ())

    def _paragraphs(self, doc, with_labels: bool = False) -> list:
        out = []
        enum = doc.getText().createEnumeration()
        while enum.hasMoreElements():
            el = enum.nextElement()
            if not el.supportsService("com.sun.star.text.Paragraph"):
                continue  # tables are not part of what the writers produce
            text = el.getString()
            if with_labels:
                out.append([el.getPropertyValue("ListLabelString") or "", text])
            else:
                out.append(text)
        return out

    def _texts(self, path: str, command: str | None, with_labels: bool = False) -> list:
        doc = self._load(path)
        try:
            if command:
                self._dispatch(doc, command)
            return self._paragraphs(doc, with_labels)
        finally:
            doc.close(True)

    def accept_all(self, path: str) -> list:
        return self._texts(path, ".uno:AcceptAllTrackedChanges")

    def reject_all(self, path: str) -> list:
        return self._texts(path, ".uno:RejectAllTrackedChanges")

    def paragraphs(self, path: str) -> list:
        return self._texts(path, None)

    def labelled(self, path: str, mode: str = "") -> list:
        command = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}.get(mode)
        return self._texts(path, command, with_labels=True)

    def styled(self, path: str) -> list:
        """Return [label, text, style name, right-to-left, italic opening] for each paragraph."""
        doc = self._load(path)
        try:
            out = []
            enum = doc.getText().createEnumeration()
            while enum.hasMoreElements():
                el = enum.nextElement()
                if not el.supportsService("com.sun.star.text.Paragraph"):
                    continue
                rtl = el.getPropertyValue("WritingMode") == 1  # com.sun.star.text.WritingMode2.RL_TB
                italic = []
                portions = el.createEnumeration()
                while portions.hasMoreElements():
                    portion = portions.nextElement()
                    if portion.getPropertyValue("TextPortionType") != "Text":
                        continue
                    slant = portion.getPropertyValue("CharPostureComplex" if rtl else "CharPosture")
                    if slant.value != "ITALIC":
                        break
                    italic.append(portion.getString())
                out.append(
                    [
                        el.getPropertyValue("ListLabelString") or "",
                        el.getString(),
                        el.getPropertyValue("ParaStyleName"),
                        rtl,
                        "".join(italic),
                    ]
                )
            return out
        finally:
            doc.close(True)

    def redlines(self, path: str) -> list:
        doc = self._load(path)
        try:
            out = []
            enum = doc.getRedlines().createEnumeration()
            while enum.hasMoreElements():
                r = enum.nextElement()
                d = r.getPropertyValue("RedlineDateTime")
                date = f"{d.Year:04d}-{d.Month:02d}-{d.Day:02d}T{d.Hours:02d}:{d.Minutes:02d}:{d.Seconds:02d}"
                out.append([r.getPropertyValue("RedlineType"), r.getPropertyValue("RedlineAuthor"), date])
            return out
        finally:
            doc.close(True)

    def to_pdf(self, path: str, out: str) -> str:
        doc = self._load(path)
        try:
            doc.storeToURL(_url(out), _props(FilterName="writer_pdf_Export"))
            return out
        finally:
            doc.close(True)

    def noted(self, path: str, mode: str = "") -> list:
        """Return each paragraph's text with each footnote's text where its reference stands:
        "Agenda,[^Resolution 70/1.] and" (mode "accept", "reject" or "" as the file stands)."""
        command = {"accept": ".uno:AcceptAllTrackedChanges", "reject": ".uno:RejectAllTrackedChanges"}.get(mode)
        doc = self._load(path)
        try:
            if command:
                self._dispatch(doc, command)
            out = []
            enum = doc.getText().createEnumeration()
            while enum.hasMoreElements():
                el = enum.nextElement()
                if not el.supportsService("com.sun.star.text.Paragraph"):
                    continue
                pieces = []
                portions = el.createEnumeration()
                while portions.hasMoreElements():
                    portion = portions.nextElement()
                    kind = portion.getPropertyValue("TextPortionType")
                    if kind == "Footnote":
                        note = portion.getPropertyValue("Footnote")
                        body = note.getString().strip()
                        mark = (
                            note.getPropertyValue("Label")
                            if note.getPropertySetInfo().hasPropertyByName("Label")
                            else ""
                        )
                        pieces.append(f"[^{body}]" if not mark else f"{mark}")
                    elif kind == "Text":
                        pieces.append(portion.getString())
                out.append("".join(pieces))
            return out
        finally:
            doc.close(True)

    def footnote_pages(self, path: str) -> list:
        """Return [page of the reference, text] for each footnote, in order, as laid out."""
        doc = self._load(path)
        try:
            view = doc.getCurrentController().getViewCursor()
            out = []
            notes = doc.getFootnotes()
            for i in range(notes.getCount()):
                note = notes.getByIndex(i)
                view.gotoRange(note.getAnchor(), False)
                out.append([view.getPage(), note.getString().strip()])
            return out
        finally:
            doc.close(True)

    def ping(self) -> str:
        return "pong"


def main() -> None:
    pipe = sys.argv[1]
    connect_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0
    driver = Driver(pipe, connect_seconds)
    out = sys.stdout
    out.write(json.dumps({"ok": True, "result": "ready"}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            cmd = request.pop("cmd")
            if cmd.startswith("_") or not hasattr(driver, cmd):
                raise ValueError(f"unknown command {cmd!r}")
            answer = {"ok": True, "result": getattr(driver, cmd)(**request)}
        except Exception as exc:  # noqa: BLE001  (report every failure to the caller, keep serving)
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()}
        out.write(json.dumps(answer) + "\n")
        out.flush()


# -- Editing with change recording on (added for the Word import tests) ---------------------------


def _set_author(driver, author: str) -> None:
    """Make ``author`` the name LibreOffice records on tracked changes (the user profile's name)."""
    provider = driver.ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", driver.ctx
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", _props(nodepath="/org.openoffice.UserProfile/Data")
    )
    access.setPropertyValue("givenname", author)
    access.setPropertyValue("sn", "")
    access.commitChanges()


def _find(doc, words: str):
    search = doc.createSearchDescriptor()
    search.SearchString = words
    search.SearchCaseSensitive = True
    found = doc.findFirst(search)
    if found is None:
        raise ValueError(f"{words!r} is not in the document")
    return found


def _edit_tracked(self, path: str, out: str, author: str, edits: list) -> str:
    """Edit a document with change recording on, as ``author``, and save it as .docx to ``out``.

    Each edit is {"op": "replace", "find": words, "with": words}, {"op": "insert_after",
    "find": words in a paragraph, "text": a new paragraph after it} or {"op": "delete_paragraph",
    "find": words in the paragraph}.
    """
    from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK  # type: ignore[import-not-found]

    _set_author(self, author)
    doc = self._load(path)
    try:
        doc.RecordChanges = True
        for edit in edits:
            found = _find(doc, edit["find"])
            text = found.getText()
            if edit["op"] == "replace":
                found.setString(edit["with"])
            elif edit["op"] == "insert_after":
                cursor = text.createTextCursorByRange(found.getEnd())
                cursor.gotoEndOfParagraph(False)
                text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
                text.insertString(cursor, edit["text"], False)
            elif edit["op"] == "delete_paragraph":
                cursor = text.createTextCursorByRange(found.getStart())
                cursor.gotoStartOfParagraph(False)
                cursor.gotoEndOfParagraph(True)
                cursor.goRight(1, True)  # the paragraph mark too
                cursor.setString("")
            else:
                raise ValueError(f"unknown edit {edit['op']!r}")
        doc.storeToURL(_url(out), _props(FilterName="MS Word 2007 XML"))
        return out
    finally:
        doc.close(True)


Driver.edit_tracked = _edit_tracked


if __name__ == "__main__":
    main()
