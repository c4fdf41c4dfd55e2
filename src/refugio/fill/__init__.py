"""Filling the official I-589 PDF (issue 2, points 4-6)."""

from refugio.fill.filler import FillReport, fill, fill_pdf

__all__ = ["FillReport", "fill", "fill_pdf"]
