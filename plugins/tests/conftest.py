"""Tests across plugins: register the dvcqg and opencps plugins without relying on installation."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

import dvc_score.plugins

os.environ.setdefault("DVC_SCORE_NO_AUTOLOAD", "1")

dvcqg = pytest.importorskip("dvc_score_dvcqg", reason="pip install -e plugins/dvc-score-dvcqg")
opencps = pytest.importorskip(
    "dvc_score_opencps", reason="pip install -e plugins/dvc-score-opencps"
)


@pytest.fixture(scope="module", autouse=True)
def source_plugins() -> Iterator[None]:
    dvc_score.plugins.reset(autoload=False, extra=(dvcqg, opencps))
    yield
    dvc_score.plugins.reset(autoload=False)
