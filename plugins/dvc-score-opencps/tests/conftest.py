"""Register this plugin for each test without relying on its installation."""

from __future__ import annotations

import os
from collections.abc import Iterator

import dvc_score.plugins
import pytest

import dvc_score_opencps

os.environ.setdefault("DVC_SCORE_NO_AUTOLOAD", "1")


# Module scope: module-level fixtures (counts computed once and shared) need the
# plugin registered too; the teardown restores the built-ins-only registry.
@pytest.fixture(scope="module", autouse=True)
def opencps_plugin() -> Iterator[None]:
    dvc_score.plugins.reset(autoload=False, extra=(dvc_score_opencps,))
    yield
    dvc_score.plugins.reset(autoload=False)
