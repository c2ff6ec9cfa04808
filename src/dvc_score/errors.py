"""Errors a user can act on.

Anything raised as a :class:`UserError` reaches the user as one line on stderr
and exit code 2 (usage, configuration or data error); never as a traceback.
"""

from __future__ import annotations

import re

# A quoted SQL literal or identifier: 'it''s', "a ""b""".
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")


def redacted_first_line(error: BaseException) -> str:
    """An engine error's first line with every quoted value replaced by '…'.

    DuckDB quotes the offending cell in conversion errors ("Could not convert
    string 'Nguyễn Văn A' to DOUBLE"); a cell may hold personal data, so it must
    never reach a message.
    """
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return _QUOTED.sub("'…'", text)


class UserError(Exception):
    """A problem with the user's input: arguments, ruleset or data files.

    The message must name what is wrong (file, row, column, value) and why.
    """

    exit_code = 2


class RulesetError(UserError):
    """A ruleset cannot be loaded: bad TOML, unknown keys, unsafe expressions."""


class DataError(UserError):
    """Input data cannot be read or lacks what the model requires."""


class CheckFailed(Exception):
    """A threshold or check failed: exit code 1 (e.g. ``compare --fail-on``)."""

    exit_code = 1
