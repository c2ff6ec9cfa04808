"""Regenerate the docs that describe code: `python scripts/gen_docs.py`.

tests/test_docs_fresh.py fails when a generated file is out of date.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Document the tool itself, not whatever plugins happen to be installed here.
os.environ["DVC_SCORE_NO_AUTOLOAD"] = "1"
sys.path.insert(0, str(ROOT / "src"))

from dvc_score.docs_reference import GENERATED  # noqa: E402


def main() -> None:
    for relative, generate in GENERATED.items():
        path = ROOT / relative
        path.write_text(generate(), encoding="utf-8")
        print(f"wrote {relative}")


if __name__ == "__main__":
    main()
