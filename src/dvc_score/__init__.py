"""dvc-score: Vietnam's service-quality index (Decision 766/QĐ-TTg) from your own data."""

from __future__ import annotations

__version__ = "0.1.0"

from dvc_score.hookspecs import hookimpl

__all__ = ["__version__", "hookimpl"]
