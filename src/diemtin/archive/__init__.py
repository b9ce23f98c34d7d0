"""A newsroom's archive: stories that grow as articles arrive (SQLite + FTS5, incremental
story assignment, digests recomputed only for stories that change, update summaries)."""

from diemtin.archive.archive import AddReport, Archive, ArchiveBusy, open_archive
from diemtin.archive.store import SchemaError, SQLiteStore, Store

__all__ = ["AddReport", "Archive", "ArchiveBusy", "SQLiteStore", "SchemaError", "Store", "open_archive"]
