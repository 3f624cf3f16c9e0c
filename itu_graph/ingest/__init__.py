"""Document ingestion: text from documents, mentions and citations found, reviewed, accepted."""
from __future__ import annotations

from .accept import accept_review
from .scan import scan_documents

__all__ = ["scan_documents", "accept_review"]
