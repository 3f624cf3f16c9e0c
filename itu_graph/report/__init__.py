"""The gap report for the Coordination Committee: HTML, Markdown, JSON and DOCX; English and Chinese."""
from __future__ import annotations

from .model import ReportData, build_report
from .render import FORMATS, render_report, write_report

__all__ = ["build_report", "ReportData", "render_report", "write_report", "FORMATS"]
