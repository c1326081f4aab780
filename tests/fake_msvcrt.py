"""A stand-in for Windows' ``msvcrt`` module (its ``locking``), for running the writer's Windows path here.

``install()`` makes ``fcntl`` unimportable, as it is on Windows, and puts this module's ``locking`` in
its place as ``msvcrt``.  The locks are real ones, so that two processes exclude each other as they
would on Windows: ``fcntl.lockf`` on the same byte range, through the ``fcntl`` module this module
imported before it was hidden (import this module first).  Windows refuses a locked range to every other handle, of the same
process too, which POSIX record locks do not: a table of the ranges held, by file and descriptor,
refuses them within this process.
"""

from __future__ import annotations

import errno
import fcntl as _real  # imported before install() hides the name
import os
import sys
import types

LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

#: (device, inode, offset, length) -> the descriptor that holds it, in this process
held: dict[tuple[int, int, int, int], int] = {}
#: every call, as (mode, offset, length): for asserting the fallback ran
calls: list[tuple[int, int, int]] = []


def locking(fd: int, mode: int, nbytes: int) -> None:
    offset = os.lseek(fd, 0, os.SEEK_CUR)
    calls.append((mode, offset, nbytes))
    stat = os.fstat(fd)
    key = (stat.st_dev, stat.st_ino, offset, nbytes)
    if mode == LK_UNLCK:
        if held.get(key) != fd:
            raise OSError(errno.EACCES, "Permission denied")
        del held[key]
        _real.lockf(fd, _real.LOCK_UN, nbytes, offset)
        return
    if mode not in (LK_NBLCK, LK_NBRLCK):
        raise NotImplementedError("only the non-blocking locks are simulated")
    if key in held:
        raise OSError(errno.EACCES, "Permission denied")
    try:
        _real.lockf(fd, _real.LOCK_EX | _real.LOCK_NB, nbytes, offset)
    except OSError:
        raise OSError(errno.EACCES, "Permission denied") from None
    held[key] = fd


def install() -> types.ModuleType:
    """Hide ``fcntl`` (``import fcntl`` raises ImportError) and make this module ``msvcrt``; returns it."""
    this = sys.modules[__name__]
    sys.modules["fcntl"] = None  # type: ignore[assignment]
    sys.modules["msvcrt"] = this
    return this
