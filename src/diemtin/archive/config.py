"""Named thresholds and sizes of the archive (one place; tuned by benchmarks/bench_archive.py)."""

from __future__ import annotations

# --- story assignment ------------------------------------------------------------------
ASSIGN_THRESHOLD = 0.24  # average cosine (average link) to join a story, else a new story
MERGE_THRESHOLD = 0.24  # average cosine between two stories for the merge pass to join them
SPLIT_THRESHOLD = 0.08  # an article this far from the rest of its story is re-assigned
SPLIT_MIN_SIZE = 3  # smaller stories are never split (one article cannot drift from itself)
QUERY_TERMS = 24  # the article's highest-weighted features used to retrieve candidate stories
POSTINGS_PER_TERM = 48  # most recently active stories kept per feature: per-article work is bounded
CANDIDATES = 8  # stories scored exactly (average cosine) per article
MERGE_CANDIDATES = 4  # stories compared with each touched story by the merge pass
VECTOR_TERMS = 150  # features kept in an article's vector
CENTROID_TERMS = 400  # features kept in a story centroid
WINDOW_DAYS = 21  # a dated article only joins a story active within this many days of it
LEAD_PARAGRAPHS = 1000  # paragraphs read after the title and lead: all of them (on the pooled clusters
#                        the first 2 or 6 alone split stories: B3 recall 0.81 / 0.77 vs 0.85)

# --- ingestion -------------------------------------------------------------------------
CHUNK_ARTICLES = 16  # articles cleaned together (one task; identical locally and on Dask). The
#                     pipeline's duplicate check is all-pairs in a chunk: small chunks keep it cheap
BATCH_ARTICLES = 512  # articles committed in one transaction

# --- update summaries ------------------------------------------------------------------
NOVELTY_CONTAINMENT = 0.5  # a later sentence whose content bigrams the earlier articles hold
#                            at least this share of says nothing new and is not a candidate
DEFAULT_WORDS = 200
