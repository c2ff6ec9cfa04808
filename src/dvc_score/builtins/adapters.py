"""Built-in adapters: the bundled province, the normalized model, Excel, counts CSV."""

from __future__ import annotations

from collections.abc import Callable

from dvc_score.adapters.base import Adapter
from dvc_score.hookspecs import hookimpl


@hookimpl
def dvc_score_register_adapters(register: Callable[[Adapter], None]) -> None:
    from dvc_score.adapters.bundled import BundledAdapter
    from dvc_score.adapters.counts_csv import CountsCsvAdapter
    from dvc_score.adapters.excel import ExcelAdapter
    from dvc_score.adapters.normalized import NormalizedFolderAdapter

    for adapter in (
        BundledAdapter(),
        NormalizedFolderAdapter(),
        ExcelAdapter(),
        CountsCsvAdapter(),
    ):
        register(adapter)
