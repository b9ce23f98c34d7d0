"""Stage 1, ingest: paths, URLs, HTML, JSON Lines, dicts -> ``Cluster``s of raw ``Article``s (NFC text)."""

from diemtin.ingest.read import Input, read_inputs

__all__ = ["Input", "read_inputs"]
