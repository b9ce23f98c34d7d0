"""Stage 3, dedup: mark articles that (nearly) repeat an earlier one (``Article.duplicate_of``)."""

from diemtin.dedup.duplicates import mark_duplicates

__all__ = ["mark_duplicates"]
