"""dvc-score: Vietnam's service-quality index (Decision 766/QĐ-TTg) from your own data."""

from __future__ import annotations

__version__ = "0.1.0"
