"""Evaluation, apart from the product: ROUGE against human summaries, baselines, metrics."""
