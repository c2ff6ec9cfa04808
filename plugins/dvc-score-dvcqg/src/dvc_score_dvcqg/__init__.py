"""dvc-score plugin for the national public-service portal (Cổng DVCQG).

Registers the ``dvcqg`` adapter (DongBoHoSoMC dossier sync payloads), the
``dvcqg-eval`` adapter (the portal's evaluation figures as counts) and the
``dvcqg-official`` command (official scores beside dvc-score's).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from dvc_score import hookimpl

if TYPE_CHECKING:
    import typer
    from dvc_score.api import Adapter

__version__ = "0.1.0"


@hookimpl
def dvc_score_register_adapters(register: Callable[[Adapter], None]) -> None:
    from dvc_score_dvcqg.adapter import DvcqgAdapter
    from dvc_score_dvcqg.eval_adapter import DvcqgEvalAdapter

    register(DvcqgAdapter())
    register(DvcqgEvalAdapter())


@hookimpl
def dvc_score_register_commands(app: typer.Typer) -> None:
    from dvc_score_dvcqg import official

    official.register(app)
