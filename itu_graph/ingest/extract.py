"""Text from .txt, .md, .html, .docx and .pdf files, with clear errors for what cannot be read."""
from __future__ import annotations

import codecs
import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

from ..errors import IngestError, Location

SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")

# Documents come from anyone. These caps keep one of them from taking the machine: a Council
# document is tens of pages; the caps are a hundred times that.
#: bytes of a file on disk (a text file is checked again as characters below)
MAX_FILE_BYTES = 64 * 1024 * 1024
#: characters of text from any document (a 20 MB text took minutes and 1.4 GB to scan)
MAX_TEXT_CHARS = 2_000_000
#: bytes of a .docx once unzipped, in all, and the unzipped / zipped ratio of any large member
MAX_UNZIPPED_BYTES = 256 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_MEMBERS = 10_000
#: pages of a PDF (what its page tree claims, before any page is read)
MAX_PDF_PAGES = 2_000


def _too_big(path: Path, what: str) -> IngestError:
    return IngestError(f"{what}; refused (nothing was read further)", Location(file=str(path)))


def _check_text_length(text: str, path: Path) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise _too_big(path, f"more than {MAX_TEXT_CHARS:,} characters of text")
    return text


def _pdf_page_count(reader) -> int:
    """Leaves of the page tree, counted without expanding it: a subtree shared by many parents
    (a 1 KB file can claim 90,000 pages that way) is counted once and multiplied, and a tree
    deeper than any real one, or a cycle, is refused."""
    from pypdf.generic import IndirectObject
    counted: dict[int, int] = {}

    def count(node, depth: int) -> int:
        key = node.idnum if isinstance(node, IndirectObject) else None
        if key is not None and key in counted:
            return counted[key]
        if depth > 64:
            raise ValueError("page tree deeper than 64 levels (or a cycle)")
        obj = node.get_object()
        kids = obj.get("/Kids") if hasattr(obj, "get") else None
        if key is not None:
            counted[key] = MAX_PDF_PAGES + 1  # a cycle through this node counts as too many
        total = 1 if kids is None else 0
        for kid in (kids.get_object() if kids is not None else []):
            total += count(kid, depth + 1)
            if total > MAX_PDF_PAGES:
                break
        if key is not None:
            counted[key] = total
        return total

    return count(reader.trailer["/Root"].get_object()["/Pages"], 0)


def _check_zip(raw: bytes, path: Path) -> None:
    """Refuse a zip bomb before python-docx inflates it: the sizes its directory declares
    bound what zipfile will ever inflate (it stops at the declared size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(f"corrupt or not a Word document: {exc}", Location(file=str(path))) from exc
    if len(members) > MAX_ZIP_MEMBERS:
        raise _too_big(path, f"more than {MAX_ZIP_MEMBERS:,} parts in the Word package")
    total = sum(m.file_size for m in members)
    if total > MAX_UNZIPPED_BYTES:
        raise _too_big(path, f"unzips to {total / 2 ** 20:,.0f} MB (more than {MAX_UNZIPPED_BYTES // 2 ** 20} MB)")
    for m in members:
        if m.file_size > 1024 * 1024 and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise _too_big(path, f"part {m.filename!r} unzips {m.file_size // max(m.compress_size, 1):,} times its size "
                                 f"(more than {MAX_ZIP_RATIO}: a zip bomb?)")


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
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise IngestError(f"cannot read: {exc.strerror}", Location(file=str(path))) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big(path, f"larger than {MAX_FILE_BYTES // 2 ** 20} MB")
    if not raw.strip():
        raise IngestError("empty file: nothing to ingest", Location(file=str(path)))
    try:
        text, title = _extract(path, suffix, raw)
    except MemoryError as exc:  # whatever a cap above did not foresee
        raise _too_big(path, "the document needs more memory than there is") from exc
    if not text.strip():
        raise IngestError("no text in the document (a scanned PDF needs OCR first)", Location(file=str(path)))
    return _check_text_length(text, path), title


def _extract(path: Path, suffix: str, raw: bytes) -> tuple[str, str | None]:
    title = None
    if suffix in (".txt", ".md"):
        text = _check_text_length(decode(raw, path), path)
    elif suffix in (".html", ".htm"):
        parser = _TextOfHtml()
        parser.feed(_check_text_length(decode(raw, path), path))
        text, title = "".join(parser.parts), parser.title.strip() or None
    elif suffix == ".docx":
        from docx import Document
        _check_zip(raw, path)
        try:
            document = Document(io.BytesIO(raw))
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
            reader = PdfReader(io.BytesIO(raw))
            pages = _pdf_page_count(reader)  # before pypdf flattens the tree page by page
            if pages > MAX_PDF_PAGES:
                raise _too_big(path, f"the PDF's page tree holds more than {MAX_PDF_PAGES:,} pages")
            parts, length = [], 0
            for page in reader.pages:
                part = page.extract_text() or ""
                length += len(part) + 1
                if length > MAX_TEXT_CHARS:
                    raise _too_big(path, f"more than {MAX_TEXT_CHARS:,} characters of text")
                parts.append(part)
            text = "\n".join(parts)
            title = (reader.metadata.title if reader.metadata else None) or None
        except IngestError:
            raise
        except (PdfReadError, ValueError, KeyError, OSError) as exc:
            raise IngestError(f"corrupt or unreadable PDF: {exc}", Location(file=str(path))) from exc
        except Exception as exc:
            raise IngestError(f"corrupt PDF: {type(exc).__name__}: {exc}", Location(file=str(path))) from exc
    return text, title
