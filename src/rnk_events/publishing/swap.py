"""Replacing a whole folder so that, at every instant, the old one or the new one is at its path.

:func:`replace_folder` builds the new folder under a hidden name beside the
target (same file system, so it can be renamed), and only once it is complete
puts it in place:

- **nothing at the target yet**: the new folder is renamed there
  (``renameat2(RENAME_NOREPLACE)`` on Linux, so a folder that appeared
  meanwhile is never overwritten);
- **a folder**: on Linux the two are swapped in one step,
  ``renameat2(RENAME_EXCHANGE)`` (called through :mod:`ctypes`; Linux 3.15,
  glibc 2.28), and the old folder, now under the hidden name, is deleted.
  Where the kernel, the C library or the file system does not have it (macOS,
  Windows, some network file systems) the fallback is two renames, the old
  folder aside and the new one in: the target is then missing for the instant
  between them, and if the second rename fails the old folder is put back;
- **a symbolic link** to a folder (a web root pointing at ``site-current``):
  the new folder is built beside the link's target, a new link to it is made
  under a hidden name, and renamed over the old link. A rename over a link is
  atomic on every POSIX system, so this is the way to an atomic swap without
  ``RENAME_EXCHANGE``. The old target is deleted only if it is a folder this
  module made (``NAME-<12 hex digits>``).

If building fails, or the process is interrupted, the hidden folder is deleted
and the target is untouched. Only ``kill -9`` during the build can leave a
hidden ``.NAME.<hex>.tmp`` folder behind; it is safe to delete.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from rnk_events.atomic import temporary_name

__all__ = ["RENAME_EXCHANGE", "RENAME_NOREPLACE", "exchange", "rename_noreplace", "renameat2", "replace_folder"]

#: ``renameat2`` flags, from ``<linux/fs.h>``.
RENAME_NOREPLACE = 1
RENAME_EXCHANGE = 2
_AT_FDCWD = -100
#: Errors that mean "this system cannot do it", not "this rename is wrong": fall back.
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP}


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """glibc's ``renameat2``, or None where there is none (not Linux, or a C library without it)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # only here: most publishes never get this far on other systems

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def renameat2(source: Path, target: Path, flags: int) -> bool:
    """``renameat2(source, target, flags)``: True if done, False if this system cannot; OSError otherwise."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(source), None, str(target))


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step; False (nothing done) where the system cannot."""
    return renameat2(first, second, RENAME_EXCHANGE)


def rename_noreplace(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``, failing (FileExistsError) if anything is at ``target``."""
    if renameat2(source, target, RENAME_NOREPLACE):
        return
    if os.path.lexists(target):
        raise FileExistsError(errno.EEXIST, "something appeared at the target while the site was built", str(target))
    os.rename(source, target)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; best effort (some systems cannot open a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _hidden_folder(beside: Path) -> Path:
    """A new, empty folder under a hidden name beside ``beside``; the umask applies, as to any new folder."""
    while True:
        candidate = beside.parent / temporary_name(beside, ".tmp")  # fits even beside a 255-byte name
        try:
            candidate.mkdir(mode=0o777)
        except FileExistsError:
            continue
        return candidate


def _swap_folders(new: Path, target: Path) -> None:
    """Put the complete folder ``new`` at ``target``, an existing folder; the old one ends up at ``new``."""
    if exchange(new, target):
        return
    aside = target.parent / temporary_name(target, ".old")
    os.rename(target, aside)  # from here until the next rename, nothing is at the target
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(aside, target)
        raise
    os.rename(aside, new)


def _release_name(link: Path) -> str:
    """A new name for the link's next real folder: ``NAME-<12 hex>``, NAME cut so the whole fits 255 bytes."""
    stem, _, token = temporary_name(link, "")[1:].rpartition(".")
    return f"{stem}-{token}"


def _made_here(folder: Path, link: Path) -> bool:
    """Whether ``folder`` is one this module made for ``link`` (a name :func:`_release_name` gives)."""
    stem = _release_name(link).rpartition("-")[0]  # the cut depends on the name's length alone
    return re.fullmatch(re.escape(stem) + r"-[0-9a-f]{12}", folder.name) is not None


def _replace_link(link: Path, build: Callable[[Path], None]) -> Path:
    """Build a new folder beside the link's target and point the link at it in one rename."""
    text = os.readlink(link)
    current = (link.parent / text).resolve() if not os.path.isabs(text) else Path(text)
    home = current.parent if current.parent.is_dir() else link.parent
    while True:
        new = home / _release_name(link)  # not hidden: the link's next real folder
        try:
            new.mkdir(mode=0o777)
        except FileExistsError:
            continue
        break
    try:
        build(new)
        if current.is_dir():
            with contextlib.suppress(OSError):
                os.chmod(new, current.stat().st_mode & 0o7777)
        pointer = os.path.relpath(new, link.parent) if not os.path.isabs(text) else str(new)
        temporary = link.parent / temporary_name(link, ".link")
        os.symlink(pointer, temporary)
        try:
            os.replace(temporary, link)
        except BaseException:
            os.unlink(temporary)
            raise
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    _fsync_folder(link.parent)
    if current.is_dir() and _made_here(current, link):
        shutil.rmtree(current, ignore_errors=True)
    return new


def replace_folder(target: str | os.PathLike[str], build: Callable[[Path], None]) -> Path:
    """Call ``build(folder)`` on a new empty folder, then put that folder at ``target`` atomically.

    ``target`` may be missing, a folder, or a symbolic link to a folder (see
    the module's notes for each). ``build`` runs before anything at ``target``
    changes; if it raises, ``target`` is untouched and the new folder is gone.
    Returns the folder now holding the result (``target``, or a link's new target).
    """
    path = Path(target)
    if path.is_symlink():
        return _replace_link(path, build)
    if path.exists() and not path.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "it is a file, not a folder", str(path))
    for above in (path.parent, *path.parent.parents):
        if above.exists() and not above.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, f"{above} is a file, not a folder", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    new = _hidden_folder(path)
    try:
        build(new)
        if path.is_dir():
            os.chmod(new, path.stat().st_mode & 0o7777)  # an existing folder keeps its mode
            _swap_folders(new, path)
        else:
            rename_noreplace(new, path)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    _fsync_folder(path.parent)
    if new.exists():  # the old folder, swapped out
        shutil.rmtree(new, ignore_errors=True)
    return path
