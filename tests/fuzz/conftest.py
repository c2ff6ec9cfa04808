"""Hypothesis profiles and the speed shim: see tests/properties/harness.py."""

from __future__ import annotations

from tests.properties.harness import cached_pure_functions

__all__ = ["cached_pure_functions"]
