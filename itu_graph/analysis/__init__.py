"""Coordination analytics: gap rules (Cypher in queries/) and network metrics (Python).

``analyze(settings)`` runs both on the store the settings name, writes the metrics back as
node properties (same names on every engine) and returns the findings.
"""
from __future__ import annotations

from .findings import Finding, SEVERITIES
from .run import AnalysisResult, analyze

__all__ = ["analyze", "AnalysisResult", "Finding", "SEVERITIES"]
