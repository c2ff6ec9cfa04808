"""The bundled default province: generated deterministically, no files needed.

``dvc-score run`` without ``--data`` scores this province, so a new user sees a
real result straight after installing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb

from dvc_score.adapters.base import CountsInput, Dataset, ReadOptions, RejectLog

BUNDLED_NAME = "bundled"


class BundledAdapter:
    name = BUNDLED_NAME
    description = "The bundled synthetic province (generated deterministically; no --data)."
    produces: Literal["dataset", "counts"] = "dataset"

    def detect(self, path: Path) -> bool:
        return False  # never picked for a real path

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        from dvc_score.adapters import synth

        dossiers = int(options.settings.get("dossiers", synth.DEFAULT_DOSSIERS))
        seed = int(options.settings.get("seed", synth.DEFAULT_SEED))
        synth.generate(con, dossiers=dossiers, seed=seed)
        return Dataset(
            con, "bundled:default", f"synth:seed={seed}:dossiers={dossiers}", RejectLog(con)
        )
