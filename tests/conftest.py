"""Shared fixtures: real data lives beside the repo in ../shared/data (never copied in)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SEED = DATA / "seed-cluster"
ABMUSU = DATA / "abmusu" / "train.jsonl"
ABMUSU_TEST = DATA / "abmusu" / "test-inputs.jsonl"
VIMS = DATA / "vims-dev"


def need(path: Path) -> Path:
    """Skip (with the reason) when a shared dataset is absent."""
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (expected ../shared/data beside the repo)")
    return path


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return need(SEED)


@pytest.fixture(scope="session")
def abmusu_path() -> Path:
    return need(ABMUSU)


@pytest.fixture(scope="session")
def vims_dir() -> Path:
    return need(VIMS)
