"""Folders a server leaves behind only when it is killed outright (SIGKILL): its pinned copy of the build
(``mcfkg-serving-*``; earlier versions put it beside dist/ as ``.mcfkg-serving-*``), and the RocksDB checkpoints of update trials and of an on-disk store's
readers (``mcfkg-trial-*``, ``mcfkg-snapshot-*``), all in the temporary directory.

Each is named ``<prefix><pid>-<random>`` after the process that owns it, which removes it when it stops
in any gentler way. At start a server removes those whose owner is no longer running
(:func:`remove_leftovers`). A folder whose owner runs, or whose name carries no pid, is never touched.
Pids are those of this machine's pid namespace: servers in different containers must not share dist/.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

TRIAL_PREFIX = "mcfkg-trial-"  # in the temporary directory
SNAPSHOT_PREFIX = "mcfkg-snapshot-"  # in the temporary directory: what an on-disk store's readers open
SERVING_PREFIX = "mcfkg-serving-"  # in the temporary directory: runtime state stays out of the source tree
OLD_SERVING_PREFIX = ".mcfkg-serving-"  # beside dist/, where earlier versions pinned their build


def owned_prefix(prefix: str) -> str:
    """``prefix`` and this process's pid: how the name of a folder it owns begins."""
    return f"{prefix}{os.getpid()}-"


def _owner(name: str, prefix: str) -> int | None:
    """The pid in a folder name made with :func:`owned_prefix`; None for any other name."""
    pid, dash, _ = name.removeprefix(prefix).partition("-")
    return int(pid) if dash and pid.isdigit() else None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_stale(directory: Path, prefix: str) -> list[Path]:
    """Remove the folders ``<prefix><pid>-*`` in ``directory`` whose process is gone; return them."""
    removed: list[Path] = []
    for path in directory.glob(prefix + "*"):
        owner = _owner(path.name, prefix)
        if owner is not None and path.is_dir() and not _running(owner):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def remove_leftovers(dist_dir: Path) -> list[Path]:
    """Remove what killed servers left beside ``dist_dir`` and in the temporary directory; return it."""
    temporary = Path(tempfile.gettempdir())
    return [*remove_stale(dist_dir.parent, OLD_SERVING_PREFIX), *remove_stale(temporary, SERVING_PREFIX),
            *remove_stale(temporary, TRIAL_PREFIX), *remove_stale(temporary, SNAPSHOT_PREFIX)]
