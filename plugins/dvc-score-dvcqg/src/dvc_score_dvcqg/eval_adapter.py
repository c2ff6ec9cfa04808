"""The ``dvcqg-eval`` adapter: the portal's evaluation figures as counts.

With it a province puts the portal's own numerators and denominators through
dvc-score (``dvc-score run --adapter dvcqg-eval``) and compares them with the
counts from its own dossiers; ``dvc-score dvcqg-official`` compares the scores.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import duckdb
from dvc_score.api import CountsInput, Dataset, ReadOptions, RejectLog, UserError

from dvc_score_dvcqg.eval_codes import indicator_map
from dvc_score_dvcqg.eval_payload import read_evaluation

OPTIONS = ("indicator-map", "period")


def codes_from(options: ReadOptions) -> dict[str, str]:
    unknown = sorted(set(options.settings) - set(OPTIONS))
    if unknown:
        raise UserError(
            f"--option {unknown[0]}: unknown for dvcqg-eval; known: {', '.join(OPTIONS)}"
        )
    extra = options.settings.get("indicator-map")
    return indicator_map(Path(extra) if extra else None)


class DvcqgEvalAdapter:
    name = "dvcqg-eval"
    description = (
        "National portal evaluation figures (per unit: MaChiSo, TuSo, MauSo, Diem) as counts."
    )
    produces: Literal["dataset", "counts"] = "counts"

    def detect(self, path: Path) -> bool:
        if not (path.is_file() and path.suffix.lower() == ".json"):
            return False
        with path.open("rb") as handle:
            return b'"MaChiSo"' in handle.read(65536)

    def read(
        self, path: Path, con: duckdb.DuckDBPyConnection, options: ReadOptions
    ) -> Dataset | CountsInput:
        rejects = RejectLog(con)
        evaluation = read_evaluation(path, rejects, codes_from(options))
        counts = evaluation.counts()
        counts.period_id = options.settings.get("period", counts.period_id)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return CountsInput(counts, str(path), f"sha256:{digest}", rejects)
