"""Shared fixtures: the CLI runner, the shared conformance data, plugin isolation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never autoload installed third-party plugins; those that need one
# register it explicitly (dvc_score.plugins.reset(extra=...)).
os.environ.setdefault("DVC_SCORE_NO_AUTOLOAD", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present (only on developer machines and CI)")
    return SHARED
