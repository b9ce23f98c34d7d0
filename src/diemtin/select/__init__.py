"""Stage 5, select: the multi-document extractive summary (concept coverage, learned weights)."""

from diemtin.select.selector import summarize

__all__ = ["summarize"]
