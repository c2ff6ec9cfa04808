"""Reading ruleset TOML files with errors that point at ``file:line:col``."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dvc_score.errors import RulesetError
from dvc_score.model.ruleset import Location

MAX_RULESET_BYTES = 2_000_000


@dataclass(frozen=True)
class TomlSource:
    """A parsed TOML file and its text, kept to locate values for error messages."""

    path: Path
    text: str
    data: dict[str, Any]

    def locate(self, section: str, key: str, value: str | None = None, offset: int = 0) -> Location:
        """Find where ``key`` (or the string ``value``) is written under ``[section]``."""
        start = _section_start(self.text, section)
        if value:
            position = self.text.find(value, start)
            if position >= 0:
                return self._location(position + offset)
            # Written with escapes ("a\"b" for a"b): point at the start of the string.
            position = self.text.find(json.dumps(value, ensure_ascii=False)[1:-1], start)
            if position >= 0:
                return self._location(position)
        match = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.MULTILINE).search(
            self.text, start
        )
        return self._location(match.start() if match else start)

    def _location(self, position: int) -> Location:
        line = self.text.count("\n", 0, position) + 1
        col = position - (self.text.rfind("\n", 0, position) + 1) + 1
        return Location(str(self.path), line, col)


def _section_start(text: str, section: str) -> int:
    if not section:
        return 0
    parts = section.split(".", 1)
    head, rest = parts[0], parts[1] if len(parts) > 1 else ""
    pattern = rf"^\s*\[\[?\s*{re.escape(head)}\s*(\.\s*\"?{re.escape(rest)}\"?\s*)?\]"
    match = re.compile(pattern, re.MULTILINE).search(text)
    return match.start() if match else 0


def read_toml(path: Path) -> TomlSource:
    """Read and parse a ruleset file; any failure is one RulesetError line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RulesetError(f"{path}: no such ruleset file") from None
    except OSError as error:
        raise RulesetError(f"{path}: cannot read the file ({error.strerror})") from None
    if len(raw) > MAX_RULESET_BYTES:
        raise RulesetError(f"{path}: {len(raw)} bytes is too large for a ruleset")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RulesetError(f"{path}: not UTF-8 text (byte at offset {error.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesetError(_toml_error(path, error)) from None
    except RecursionError:
        raise RulesetError(f"{path}: TOML nesting is too deep") from None
    return TomlSource(path, text, data)


def _toml_error(path: Path, error: tomllib.TOMLDecodeError) -> str:
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        detail = message[: match.start()].strip()
        return f"{path}:{match.group(1)}:{match.group(2)}: invalid TOML: {detail}"
    return f"{path}: invalid TOML: {message}"
