"""dvc-score plugin for OpenCPS one-stop systems (hệ thống một cửa điện tử OpenCPS).

Registers the ``opencps`` adapter: an ``opencps_dossier`` export as CSV, with the
units (and optionally the procedure catalog and petitions) as normalized files
beside it. Local statuses map to DVCQG codes through a status map (configuration).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dvc_score import hookimpl

if TYPE_CHECKING:
    from dvc_score.api import Adapter

__version__ = "0.1.0"


@hookimpl
def dvc_score_register_adapters(register: Callable[[Adapter], None]) -> None:
    from dvc_score_opencps.adapter import OpenCpsAdapter

    register(OpenCpsAdapter())
