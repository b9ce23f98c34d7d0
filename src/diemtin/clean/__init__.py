"""Stage 2, clean: an article's raw lines -> the journalist's text, every dropped line kept in ``removed``."""

from diemtin.clean.cleaner import clean_article, clean_cluster

__all__ = ["clean_article", "clean_cluster"]
