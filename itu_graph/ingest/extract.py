"""Text from .txt, .md, .html, .docx and .pdf files, with clear errors for what cannot be read."""
from __future__ import annotations

import codecs
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from ..errors import IngestError, Location

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused, not guessed."""
    if raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise IngestError(f"unknown text encoding (byte 0x{raw[exc.start]:02x} is not UTF-8); "
                          "save the document as UTF-8", Location(file=str(path), line=line)) from exc


class _TextOfHtml(HTMLParser):
    SKIP = {"script", "style", "noscript", "template"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        if tag == "title":
            self._in_title = True
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self.skipping:
            self.parts.append(data)


def extract(path: Path) -> tuple[str, str | None]:
    """(text, title if the file states one)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(f"cannot read {suffix or 'files without a suffix'}; supported: {', '.join(SUFFIXES)}",
                          Location(file=str(path)))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror}", Location(file=str(path))) from exc
    if not raw.strip():
        raise IngestError("empty file: nothing to ingest", Location(file=str(path)))
    title = None
    if suffix in (".txt", ".md"):
        text = decode(raw, path)
    elif suffix in (".html", ".htm"):
        parser = _TextOfHtml()
        parser.feed(decode(raw, path))
        text, title = "".join(parser.parts), parser.title.strip() or None
    elif suffix == ".docx":
        from docx import Document
        try:
            document = Document(str(path))
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise IngestError(f"corrupt or not a Word document: {exc}", Location(file=str(path))) from exc
        except Exception as exc:  # python-docx raises its own types for damaged packages
            raise IngestError(f"corrupt Word document: {type(exc).__name__}: {exc}", Location(file=str(path))) from exc
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append("\t".join(cell.text for cell in row.cells))
        text = "\n".join(parts)
        title = (document.core_properties.title or "").strip() or None
    else:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
        try:
            reader = PdfReader(str(path))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
            title = (reader.metadata.title if reader.metadata else None) or None
        except (PdfReadError, ValueError, KeyError, OSError) as exc:
            raise IngestError(f"corrupt or unreadable PDF: {exc}", Location(file=str(path))) from exc
        except Exception as exc:
            raise IngestError(f"corrupt PDF: {type(exc).__name__}: {exc}", Location(file=str(path))) from exc
    if not text.strip():
        raise IngestError("no text in the document (a scanned PDF needs OCR first)", Location(file=str(path)))
    return text, title
