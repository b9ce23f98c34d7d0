"""One interface for every summarizer (diemtin's selector and the evaluation baselines).

Like sumy's ``AbstractSummarizer(document, n)`` over one document model, and scikit-learn's
estimators: ``fit(clusters)`` sets learned state (a no-op for unsupervised methods) and
``summarizer(cluster, budget)`` returns the chosen sentences of a prepared (cleaned,
segmented) cluster, in the order they are to be read, within about ``budget`` syllables.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from diemtin.model import Cluster, Sentence


class Summarizer(ABC):
    name: str = "summarizer"

    def fit(self, clusters: Sequence[Cluster]) -> Summarizer:  # noqa: B027 - unsupervised by default
        """Learn from prepared clusters with human summaries (``Cluster.references``)."""
        return self

    @abstractmethod
    def __call__(self, cluster: Cluster, budget: int) -> list[Sentence]:
        """The summary's sentences, in reading order."""
