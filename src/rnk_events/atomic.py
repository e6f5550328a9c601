"""Atomic file writes that touch only the target: replaced whole on success, untouched on failure.

What ``-o PATH`` meets decides how it is written:

- a regular file or a new name: the bytes go to a temporary file beside it,
  renamed into place only once complete. On Linux the temporary file has no
  name until that moment (``O_TMPFILE``), so even ``kill -9`` mid-write
  leaves nothing behind; elsewhere it is a hidden ``.NAME.XXXX.tmp``;
- a symbolic link: its real target is replaced atomically, and the link stays
  a link (a feed linked into a web root keeps working);
- a character device or a FIFO (``/dev/stdout``, ``/dev/null``, a named pipe):
  it is opened and written as a stream, never replaced by a file;
- a folder, a block device or a socket: refused.

The temporary file is created with the mode the target should end with, so the
umask applies as it does to any new file, without reading or changing the
process's umask (which would race with other threads).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

__all__ = ["temporary_name", "write_atomic"]

_NAME_MAX = 255  # bytes in one path component on Linux, macOS and Windows file systems


def temporary_name(target: Path, suffix: str = ".tmp") -> str:
    """A hidden name beside ``target`` that is never longer than a legal file name.

    ``.NAME.<12 hex digits><suffix>``, with NAME cut (at a whole character) so
    that the whole fits in 255 bytes: a legal target always has a legal
    temporary name. Other swaps (a folder set aside as ``.old``) pass their suffix.
    """
    tail = f".{secrets.token_hex(6)}{suffix}"
    name = os.fsencode(target.name)
    cut = max(0, _NAME_MAX - 1 - len(os.fsencode(tail)))
    for back in range(4):  # a UTF-8 character is at most 4 bytes: step back off a cut one
        try:
            return "." + name[: max(0, cut - back)].decode("utf-8") + tail
        except UnicodeDecodeError:
            continue
    return "." + os.fsdecode(name[:cut]) + tail  # a name that is not UTF-8 at all keeps its bytes


def _existing_mode(target: Path) -> int | None:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return None


def _anonymous_file(folder: Path) -> int | None:
    """An unnamed file in ``folder`` (Linux ``O_TMPFILE``), or None where the system has none."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag:
        return None
    try:
        return os.open(folder, flag | os.O_RDWR, 0o666)  # the umask applies, as for any new file
    except OSError as error:
        if error.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # the file system does not support it
        raise


def _named_file(name: Path) -> int:
    # 0o666 minus the umask for a new file, as open() gives.
    return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)


def _name_anonymous(descriptor: int, name: Path) -> None:
    """Link a finished unnamed file to ``name``; where links through /proc fail, copy it there."""
    try:
        os.link(f"/proc/self/fd/{descriptor}", name, follow_symlinks=True)
        return
    except OSError:
        pass  # a sandbox or an old kernel: copy the finished bytes instead
    os.lseek(descriptor, 0, os.SEEK_SET)
    copy = _named_file(name)
    try:
        while os.sendfile(copy, descriptor, None, 1 << 24):
            pass
        os.fchmod(copy, os.fstat(descriptor).st_mode & 0o7777)
        os.fsync(copy)
    finally:
        os.close(copy)


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[IO[bytes]]:
    keep = _existing_mode(target)
    name = target.parent / temporary_name(target)
    descriptor = _anonymous_file(target.parent)
    anonymous = descriptor is not None
    if descriptor is None:
        descriptor = _named_file(name)
    try:
        with os.fdopen(descriptor, "wb", closefd=False) as handle:
            yield handle
            handle.flush()
            os.fsync(descriptor)
        if keep is not None:
            os.fchmod(descriptor, keep)  # an existing file keeps its mode exactly
        if anonymous:
            _name_anonymous(descriptor, name)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    finally:
        os.close(descriptor)


def _kind(target: Path) -> str | None:
    """What is at ``target`` now, following links: None (nothing), "file", "stream", or what is refused."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "stream"
    if stat.S_ISDIR(mode):
        return "folder"
    return "block device" if stat.S_ISBLK(mode) else "socket or other special file"


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None]) -> Path:
    """Call ``write`` with a binary stream whose bytes replace ``path`` only if it returns.

    Returns the path written (a symbolic link's real target is what changes).
    """
    given = Path(path)
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    folder = target.parent
    if not folder.is_dir():
        reason = "is not a folder" if folder.exists() else "does not exist"
        raise FileNotFoundError(errno.ENOENT, f"the folder {folder} {reason}", str(given))
    kind = _kind(target)
    if kind == "folder":
        raise IsADirectoryError(errno.EISDIR, "it is a folder", str(given))
    if kind == "stream":
        with target.open("wb") as stream:
            write(stream)
        return given
    if kind not in (None, "file"):
        raise OSError(errno.EPERM, f"it is a {kind}; refusing to replace it with a file", str(given))
    with _replacing(target) as stream:
        write(stream)
    return given
