"""Writing output files so that an interrupted run never leaves half a file.

Everything dvc-score writes (results, reports, counts, reject files, new
rulesets) goes to a temporary file beside the target, is flushed to disk and
then renamed over the target: a later ``compare`` can never read a truncated
JSON as if it were valid, and an existing file stays untouched on failure.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from dvc_score.errors import UserError


def shown(path: Path | str, limit: int = 120) -> str:
    """A path as it can appear in a one-line message (hostile paths can be huge)."""
    text = str(path)
    return text if len(text) <= limit else text[:limit] + "…"


@contextmanager
def open_atomically(path: Path, mode: str = "w") -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` only when the block succeeds.

    Raises OSError (callers name the option that gave the path).
    """
    directory = path.absolute().parent
    if not directory.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {shown(directory)} does not exist")
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name[:60]}.", suffix=".tmp")
    try:
        with os.fdopen(handle, mode, encoding="utf-8", newline="") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _match_umask(temporary)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write ``content`` to ``path`` atomically (see the module docstring)."""
    try:
        directory = path.absolute().parent
        if not directory.is_dir():
            raise UserError(f"--output {shown(path)}: the folder {shown(directory)} does not exist")
        handle, temporary = tempfile.mkstemp(
            dir=directory, prefix=f".{path.name[:60]}.", suffix=".tmp"
        )
    except OSError as error:
        raise UserError(f"--output {shown(path)}: cannot write here ({error.strerror})") from None
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _match_umask(temporary)
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise UserError(f"--output {shown(path)}: cannot write it ({error.strerror})") from None
        raise


def _match_umask(path: str) -> None:
    # mkstemp creates 0600 files; the result should be as readable as any file
    # the user creates.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)
