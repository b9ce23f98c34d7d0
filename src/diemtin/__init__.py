"""diemtin: Vietnamese multi-document news digests.

>>> import diemtin
>>> cluster = diemtin.digest("../shared/data/seed-cluster", words=150)
>>> print(diemtin.to_markdown(cluster))
"""

from diemtin.ingest import read_inputs
from diemtin.model import Article, Cluster, Digest
from diemtin.pipeline import digest, process
from diemtin.render.formats import to_dict, to_json, to_markdown, to_text

__version__ = "0.1.0"
__all__ = [
    "Article", "Cluster", "Digest", "digest", "process", "read_inputs",
    "to_dict", "to_json", "to_markdown", "to_text", "__version__",
]
