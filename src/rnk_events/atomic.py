"""Atomic file writes: a temporary file beside the target, renamed into place only on success.

On any error no partial file is left and an existing file is untouched. The
temporary file is created with the mode the target should end with, so the
umask applies as it would to any new file, without reading or changing the
process's umask (which would race with other threads).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

__all__ = ["temporary_name", "write_atomic"]

_NAME_MAX = 255  # bytes in one path component on Linux, macOS and Windows file systems
_SUFFIX_BYTES = len(".0123456789ab.tmp")


def temporary_name(target: Path) -> str:
    """A hidden name beside ``target`` that is never longer than a legal file name."""
    stem = os.fsencode(target.name)[: _NAME_MAX - _SUFFIX_BYTES - 1]
    return "." + os.fsdecode(stem).rstrip("\udcff") + f".{secrets.token_hex(6)}.tmp"


def _existing_mode(target: Path) -> int | None:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[IO[bytes]]:
    keep = _existing_mode(target)
    # 0o666 minus the umask for a new file, as open() gives; an existing file's mode is restored exactly.
    name = target.parent / temporary_name(target)
    descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if keep is not None:
            os.chmod(name, keep)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Call ``write`` with a binary stream whose bytes replace ``path`` only if it returns."""
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        reason = "is not a folder" if folder.exists() else "does not exist"
        raise FileNotFoundError(errno.ENOENT, f"the folder {folder} {reason}", str(target))
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(target))
    with _temporary_beside(target) as stream:
        write(stream)
    return target
