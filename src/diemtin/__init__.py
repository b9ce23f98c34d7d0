"""diemtin: Vietnamese multi-document news digests.

>>> import diemtin
>>> cluster = diemtin.digest("../shared/data/seed-cluster", words=150)
>>> print(cluster.to_markdown())
"""

from diemtin.model import Article, Cluster, Digest
from diemtin.pipeline import digest, process
from diemtin.read import read_inputs

__version__ = "0.1.0"
__all__ = ["Article", "Cluster", "Digest", "digest", "process", "read_inputs", "__version__"]
