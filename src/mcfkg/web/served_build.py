"""The build a server serves, and how it follows ``dist/`` while it runs.

The server answers from its own pinned copy of the build (hard links in the temporary directory,
so a rebuild that replaces dist/'s files leaves the served downloads one build) and from a store
whose build graphs are that build's (``mcfkg.sparql.build_graphs``). Whenever ``dist/`` holds
another build (``mcfkg ingest``, ``retract`` or ``build`` ran, here or from the CLI), the server
pins it, brings the store in step in one transaction and only then serves the new downloads.
It looks every ``build_poll_s`` and right after its own ``POST /sources`` and ``DELETE /sources``.
A ``data/`` edited without a rebuild is reported (log and ``/health``), never served silently.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import shutil
import tempfile
from pathlib import Path

from mcfkg.config import Settings
from mcfkg.dist import dump_path, staleness
from mcfkg.export import built_for
from mcfkg.leftovers import SERVING_PREFIX, owned_prefix
from mcfkg.sources.lock import one_writer
from mcfkg.remote.factory import store_for_build
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web.dataset import DOWNLOADS

log = logging.getLogger("mcfkg.web")


def pin(dist_dir: Path) -> Path:
    """A private copy of the build's files (hard links; copies across file systems), owned by this process."""
    folder = Path(tempfile.mkdtemp(prefix=owned_prefix(SERVING_PREFIX)))
    for name in DOWNLOADS:
        source, target = dist_dir / name, folder / name
        if source.is_file():
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
    return folder


def _identity(path: Path) -> tuple[int, int, int] | None:
    """What tells one build file from another: a build replaces it (a new inode) rather than editing it."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


class ServedBuild:
    """The pinned build in use: its settings (``dist_dir`` the pinned folder) and the store following it."""

    def __init__(self, settings: Settings) -> None:
        self.configured = settings  # dist_dir: the project's dist/, which builds replace
        self.folder = pin(settings.dist_dir)
        self.settings = dataclasses.replace(settings, dist_dir=self.folder)
        self.store: Store | None = None
        self.stale: str | None = None  # why data/ and dist/ differ, when they do
        self._noted: str | None = None  # the last warning logged
        self._lock = asyncio.Lock()

    def open_store(self) -> Store:
        """The store, in step with the pinned build (it is opened, or created, and synced; embedded or remote)."""
        self.store = store_for_build(self.settings)
        return self.store

    def _changed(self) -> bool:
        return _identity(dump_path(self.configured)) not in (None, _identity(dump_path(self.settings)))

    def take_new_build(self) -> str | None:
        """If dist/ holds another build, serve it (pinned, store in step); what changed, or None. Notes
        whether data/ changed since dist/ was built (``check_data``).

        Waits for no one: while an ingest, retract or build holds data/ (``one_writer``) it returns
        None, and the next look takes the build they leave.
        """
        assert self.store is not None, "open_store() first"
        with one_writer(self.configured, wait=False) as ours:
            if not ours:
                return None  # an ingest, retract or build is under way: data/ and dist/ are between two states
            self.check_data()
            if not self._changed():
                return None
            if not built_for(self.configured.dist_dir, Vocab(self.configured.base_iri)):
                self._note(f"{self.configured.dist_dir} now holds a build for another base IRI; serving the last "
                           f"build for {self.configured.base_iri}")
                return None
            folder = pin(self.configured.dist_dir)
        try:
            report = self.store.take_build(dump_path(dataclasses.replace(self.settings, dist_dir=folder)))
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        old, self.folder = self.folder, folder
        self.settings = dataclasses.replace(self.settings, dist_dir=folder)
        shutil.rmtree(old, ignore_errors=True)  # a download in progress keeps reading its open file
        log.info("serving the new build of %s: %s", self.configured.dist_dir, report)
        return report

    def check_data(self) -> None:
        """Note whether data/ changed since dist/ was built."""
        reason = staleness(self.configured)
        self.stale = reason  # before the log line: whoever reads the log then asks /health sees it
        if reason:
            self._note(f"{reason}; the server keeps serving the last build: run `mcfkg build` to serve the change")

    def _note(self, warning: str) -> None:
        """Log a warning once, not at every look."""
        if warning != self._noted:
            log.warning("%s", warning)
        self._noted = warning

    async def refresh(self) -> str | None:
        """``take_new_build`` off the event loop, one refresh at a time."""
        async with self._lock:
            return await asyncio.to_thread(self.take_new_build)

    async def follow(self, interval_s: float) -> None:
        """Refresh every ``interval_s`` until cancelled; a failure is logged and tried again later."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.refresh()
            except Exception:
                log.exception("could not take the new build of %s; serving the previous one",
                              self.configured.dist_dir)

    def close(self) -> None:
        """Close the store and remove the pinned copy."""
        if self.store is not None:
            self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)
