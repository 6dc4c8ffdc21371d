"""Findings, the report, and its renderers (terminal, JSON, annotated workbooks)."""

from sheetkit.report.model import SEVERITIES, Finding, Report

__all__ = ["SEVERITIES", "Finding", "Report"]
