"""The result JSON (docs/result-json.md): one document, or a series for several periods."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dvc_score.model.result import REPORT_VERSION, Result
from dvc_score.model.ruleset import Ruleset
from dvc_score.reporters.base import ReportOptions


def result_document(results: Sequence[Result]) -> dict[str, Any]:
    if len(results) == 1:
        return results[0].to_json()
    return {
        "report_version": REPORT_VERSION,
        "kind": "series",
        "results": [result.to_json() for result in results],
    }


class JsonReporter:
    name = "json"
    description = "The result document (docs/result-json.md)."
    binary = False

    def render(self, results: Sequence[Result], ruleset: Ruleset, options: ReportOptions) -> str:
        return json.dumps(result_document(results), ensure_ascii=False, indent=2) + "\n"
