"""Sources as titled references: one numbered bibliography the findings point into (issue 17).

A finding's sources are the named graphs and pages that state its entities and their ties. In the
report each becomes a reference with a title, like a citation in an audit report:

* a document of the data (the named graph of an ingested document, or a document whose ``url``
  is the page): its name in the report's language, its symbol (C24/35) and date, a link when it
  has a web address;
* another web page: its host and path as the title, the site, and the link;
* a data file (``urn:itu-graph:file:NAME``): "Data file NAME";
* anything else: the text as given.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

READ_DOCUMENTS = """
MATCH (d:Document)
RETURN d.id AS id, d.uri AS uri, d.url AS url, d.name AS name, d.name_zh AS name_zh, d.symbol AS symbol,
       d.date AS date
ORDER BY id
"""

WORDS = {"en": {"data_file": "Data file {name}", "site": "site", "document": "document"},
         "zh": {"data_file": "数据文件 {name}", "site": "网站", "document": "文件"}}


@dataclass
class Reference:
    number: int
    source: str            # the IRI or URL as the data gives it
    title: str
    symbol: str | None = None
    date: str | None = None
    site: str | None = None
    link: str | None = None  # http(s) only

    def as_dict(self) -> dict:
        return {"number": self.number, "source": self.source, "title": self.title, "symbol": self.symbol,
                "date": self.date, "site": self.site, "link": self.link}


def _web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def _internal(url: str) -> bool:
    """IRIs minted for the data (the project's w3id namespace) are identifiers, not pages to open."""
    return "w3id.org/itu-graph/" in url


def _page_title(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    site = host[4:] if host.startswith("www.") else host
    path = unquote(parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return (site + path + query) or url, site


def describe(source: str, documents: dict[str, dict], lang: str) -> dict:
    """Title, symbol, date, site and link of one source."""
    words = WORDS.get(lang, WORDS["en"])
    doc = documents.get(source)
    if doc:
        title = (doc.get("name_zh") if lang == "zh" else None) or doc.get("name") or doc.get("symbol") or doc["id"]
        link = doc.get("url") if doc.get("url") and _web(doc["url"]) else (source if _web(source) and not _internal(source) else None)
        site = _page_title(link)[1] if link else None
        symbol = doc.get("symbol")
        return {"title": title, "symbol": symbol if symbol and symbol not in title else None,
                "date": str(doc["date"]) if doc.get("date") else None, "site": site, "link": link}
    if source.startswith("urn:itu-graph:file:"):
        return {"title": words["data_file"].format(name=source.rsplit(":", 1)[-1]), "symbol": None, "date": None,
                "site": None, "link": None}
    if _web(source) and not _internal(source):
        title, site = _page_title(source)
        return {"title": title, "symbol": None, "date": None, "site": site, "link": source}
    return {"title": source.rsplit("/", 1)[-1] if _internal(source) else source, "symbol": None, "date": None,
            "site": None, "link": None}


def bibliography(sources_in_order: list[str], document_rows: list[dict], lang: str) -> dict[str, Reference]:
    """Number every source once, in the order the report first cites them."""
    documents: dict[str, dict] = {}
    for row in document_rows:
        for key in (row.get("uri"), row.get("url")):
            if key:
                documents.setdefault(str(key), row)
    refs: dict[str, Reference] = {}
    for source in sources_in_order:
        if source not in refs:
            refs[source] = Reference(len(refs) + 1, source, **describe(source, documents, lang))
    return refs
