"""Generated docs match the code (regenerate with `python scripts/gen_docs.py`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvc_score.docs_reference import GENERATED

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("relative", sorted(GENERATED))
def test_generated_doc_is_fresh(relative: str) -> None:
    path = ROOT / relative
    assert path.is_file(), f"{relative} is missing: run python scripts/gen_docs.py"
    assert path.read_text(encoding="utf-8") == GENERATED[relative](), (
        f"{relative} is stale: run python scripts/gen_docs.py"
    )
