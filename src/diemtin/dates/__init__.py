"""Dates stage: the cluster's date layer, computed once after segmentation.

Component contract:
    requires: ``Article.sentences`` (segment), ``Article.published`` when known,
              ``Article.duplicate_of`` (dedup; duplicates get no mentions)
    assigns:  ``Cluster.dates`` (every temporal expression, resolved: see
              :class:`diemtin.model.DateMention`), ``Cluster.now`` (the inferred writing date
              with its confidence), ``Article.meta["title_date"]`` (the title's day date, if any)

Timeline, figures and the summary's ordering read the layer; nobody re-parses dates.
"""

from __future__ import annotations

from diemtin.model import Cluster


def find_dates(cluster: Cluster) -> Cluster:
    """Fill ``cluster.dates`` and ``cluster.now`` in place; returns the cluster."""
    from diemtin.dates.layer import build

    build(cluster)
    return cluster


def clear_cache() -> None:
    """Forget the sentences parsed so far (see :func:`diemtin.dates.expressions.clear_cache`)."""
    from diemtin.dates.expressions import clear_cache as clear

    clear()


__all__ = ["clear_cache", "find_dates"]
