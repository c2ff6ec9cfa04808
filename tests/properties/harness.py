"""The test harness shared by the property, fuzz and security suites.

Profiles: ``dev`` (default) and ``ci`` (when ``CI=true``: fixed seed, no example
database, a third of the examples). Each test takes its settings from
:func:`budget`, so the profile scales every test at once.

The speed shim caches two pure functions the engine recomputes on every call
(the holiday list and expression checking); without it one DuckDB count of a
60-row dataset costs ~0.8 s and the suite could afford only a handful of
examples. Caching changes no result: both functions are pure.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator

import pytest
from hypothesis import HealthCheck, settings

from dvc_score.engine import calendar, planner, reference
from dvc_score.rules import derived, expressions, loader

CI = os.environ.get("CI", "").lower() == "true"

settings.register_profile(
    "dev", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
PROFILE = "ci" if CI else "dev"


def budget(count: int) -> settings:
    """Settings for a test of ``count`` examples (a third of them on CI).

    The profile is applied per test rather than loaded globally, so the other
    suites' hypothesis tests keep their own settings.
    """
    return settings(
        settings.get_profile(PROFILE), max_examples=min(count, max(3, count // 3)) if CI else count
    )


_ORIGINAL_CHECK = expressions.check_expression
_CACHED_HOLIDAYS = functools.cache(calendar.public_holidays)


@functools.lru_cache(maxsize=8192)
def _cached_check(text: str, table: str, names: tuple[str, ...]) -> expressions.CheckedExpression:
    return _ORIGINAL_CHECK(text, table, names)


def _check(text: str, table: str, names: Iterable[str]) -> expressions.CheckedExpression:
    if not isinstance(text, str):
        return _ORIGINAL_CHECK(text, table, names)
    return _cached_check(text, table, tuple(names))


@pytest.fixture(autouse=True, scope="module")
def cached_pure_functions() -> Iterator[None]:
    """Cache the holiday list and expression checking: both are pure and recomputed often.

    Module-scoped, so the patch never outlives this project's own test modules.
    """
    patch = pytest.MonkeyPatch()
    patch.setattr(calendar, "public_holidays", _CACHED_HOLIDAYS)
    for module in (planner, derived, reference, loader):
        patch.setattr(module, "check_expression", _check)
    yield
    patch.undo()
