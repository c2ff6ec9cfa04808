"""national2026 reproduces the national portal's published scores (Phú Thọ, 2026-08).

The portal's own counts go in through `dvc-score score --counts`; every
indicator and group score the portal published must come out within 0.01.
"""

from __future__ import annotations

import csv
from pathlib import Path

from dvc_score.testing import run_json

TOLERANCE = 0.01 + 1e-9


def _expected(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_published_score_is_reproduced_within_a_hundredth(shared_dir: Path) -> None:
    folder = shared_dir / "conformance" / "phutho-2026-08"
    document = run_json(
        [
            "score",
            "--counts",
            str(folder / "counts.csv"),
            "--ruleset",
            "national2026",
            "--period",
            "2026-08",
        ]
    )
    units = {unit["unit_code"]: unit for unit in document["units"]}
    mismatches, checked = [], 0
    for row in _expected(folder / "expected.csv"):
        unit = units[row["unit_code"]]
        side = unit["indicators"] if row["kind"] == "indicator" else unit["groups"]
        ours = side[row["id"]]["score"]
        official = float(row["official_score"]) if row["official_score"] else None
        checked += 1
        if official is None:
            if ours is not None:
                mismatches.append((row, ours))
        elif ours is None or abs(ours - official) > TOLERANCE:
            mismatches.append((row, ours))
    assert checked == 3281
    assert not mismatches, mismatches[:10]


def test_the_province_total_and_class_follow_from_its_groups(shared_dir: Path) -> None:
    folder = shared_dir / "conformance" / "phutho-2026-08"
    document = run_json(["score", "--counts", str(folder / "counts.csv"), "--period", "2026-08"])
    province = document["units"][0]
    assert province["unit_code"] == "H44"
    assert province["total"] == round(sum(g["score"] for g in province["groups"].values()), 2)
    assert province["total"] == 59.92
    assert province["class"] == "trung_binh"
