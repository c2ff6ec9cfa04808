"""Generated sections of docs/plugins.md and docs/data.md match the code.

The hooks reference in docs/plugins.md is rendered from hookspecs.py (names,
signatures, docstrings); the model tables in docs/data.md from the schema and
the header and word maps. Regenerate both with::

    python tests/test_hook_docs.py
"""

from __future__ import annotations

import inspect
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dvc_score import hookspecs
from dvc_score.adapters.headers import columns_reference

ROOT = Path(__file__).resolve().parents[1]


def hooks_reference() -> str:
    """Every hook: its signature and docstring, in declaration order."""
    lines = []
    for name, function in vars(hookspecs).items():
        if not (inspect.isfunction(function) and hasattr(function, "dvc_score_spec")):
            continue
        signature = inspect.signature(function)
        params = ", ".join(f"{p.name}: {p.annotation}" for p in signature.parameters.values())
        lines += [f"### `{name}`", "", "```python"]
        lines += [f"def {name}({params}) -> {signature.return_annotation}: ...", "```", ""]
        lines += [inspect.getdoc(function) or "", ""]
    return "\n".join(lines)


SECTIONS: dict[str, tuple[str, Callable[[], str]]] = {
    "docs/plugins.md": ("hooks", hooks_reference),
    "docs/data.md": ("columns", columns_reference),
}


def _markers(name: str) -> tuple[str, str]:
    return (
        f"<!-- generated:{name} (python tests/test_hook_docs.py) -->",
        f"<!-- end generated:{name} -->",
    )


def generated_block(text: str, name: str) -> str | None:
    start, end = _markers(name)
    match = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), text, re.DOTALL)
    return None if match is None else match.group(1)


def refresh(text: str, name: str, content: str) -> str:
    start, end = _markers(name)
    if generated_block(text, name) is None:
        raise SystemExit(f"the markers for {name} are missing")
    pattern = re.escape(start) + r"\n.*?" + re.escape(end)
    return re.sub(pattern, lambda _: f"{start}\n{content}{end}", text, flags=re.DOTALL)


@pytest.mark.parametrize("relative", sorted(SECTIONS))
def test_generated_section_is_fresh(relative: str) -> None:
    name, generate = SECTIONS[relative]
    text = (ROOT / relative).read_text(encoding="utf-8")
    block = generated_block(text, name)
    assert block is not None, f"{relative}: the generated:{name} markers are missing"
    assert block == generate(), f"{relative} is stale: run python tests/test_hook_docs.py"


def test_the_hooks_reference_lists_every_hook() -> None:
    reference = hooks_reference()
    for name in ("adapters", "rulesets", "scorers", "reporters", "commands"):
        assert f"### `dvc_score_register_{name}`" in reference


def main() -> None:
    for relative, (name, generate) in SECTIONS.items():
        path = ROOT / relative
        path.write_text(refresh(path.read_text(encoding="utf-8"), name, generate()), "utf-8")
        print(f"refreshed {relative} ({name})")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
