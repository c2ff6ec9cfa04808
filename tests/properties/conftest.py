"""Hypothesis profiles and the speed shim: see harness.py."""

from __future__ import annotations

from .harness import cached_pure_functions

__all__ = ["cached_pure_functions"]
