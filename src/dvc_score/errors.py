"""Errors a user can act on.

Anything raised as a :class:`UserError` reaches the user as one line on stderr
and exit code 2 (usage, configuration or data error); never as a traceback.
"""

from __future__ import annotations


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
