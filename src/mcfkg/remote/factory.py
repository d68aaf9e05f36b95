"""Which store a server opens: the ``--store`` value decides (a directory, a remote store URL, or none)."""

from __future__ import annotations

from pathlib import Path

from mcfkg.config import Settings
from mcfkg.remote.client import is_remote
from mcfkg.store import OxigraphStore, Store


def store_settings(value: str | Path | None) -> dict[str, object]:
    """Settings overrides for a ``--store`` value: ``store_url`` for ``sparql+http(s)://...``, else ``store_path``;
    ValueError for a URL of another scheme (it would otherwise become a directory of that name)."""
    if value is None:
        return {}
    if is_remote(str(value)):
        return {"store_url": str(value)}
    if "://" in str(value):
        raise ValueError(f"--store {value}: a remote store's URL starts with sparql+http:// or sparql+https:// "
                         "(e.g. sparql+http://127.0.0.1:7878/query,sparql+http://127.0.0.1:7878/update); "
                         "anything else is taken for a directory")
    return {"store_path": Path(value)}


def store_for_build(settings: Settings) -> Store:
    """The store serving the build in ``settings.dist_dir``, in step with it: remote when ``store_url`` is set."""
    if settings.store_url:
        from mcfkg.remote.store import RemoteStore  # httpx only when a remote store is used

        return RemoteStore.from_dist(settings)
    return OxigraphStore.from_dist(settings)
