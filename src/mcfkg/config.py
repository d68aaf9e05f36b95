"""Every setting of mcfkg in one typed object.

Values come from keyword arguments (the CLI's flags) or from ``MCFKG_*`` environment
variables, so a deployment can be configured without code. Limits are named settings,
never literals scattered through the request path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from mcfkg.vocab import CANONICAL_BASE

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _env_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


@dataclass(frozen=True)
class Settings:
    """Settings for build, store and server. Secure defaults: read-only, no outbound fetch."""

    base_iri: str = CANONICAL_BASE
    ontology_dir: Path = PROJECT_ROOT / "ontology"
    data_dir: Path = PROJECT_ROOT / "data"
    queries_dir: Path = PROJECT_ROOT / "queries"
    dist_dir: Path = PROJECT_ROOT / "dist"
    # None: an in-memory store loaded from dist/ at start; a path: a persistent on-disk store.
    store_path: Path | None = None
    # Requests
    query_timeout_s: float = 30.0
    max_result_rows: int = 100_000
    max_request_bytes: int = 1_000_000
    max_upload_bytes: int = 50_000_000
    query_workers: int = 2
    # Writes are refused unless a token is configured.
    update_token: str | None = None
    # SERVICE endpoints a query may call; empty: none.
    service_allowlist: tuple[str, ...] = field(default_factory=tuple)
    # `mcfkg link`: the Wikidata-shaped SPARQL endpoint it asks (only when a person runs it), and its bound.
    link_endpoint: str = "https://query.wikidata.org/sparql"
    link_timeout_s: float = 20.0
    # Linked-data pages: rows fetched per query for one IRI's description (more are cut, and the page says so).
    page_max_facts: int = 2_000
    # Treat the union of all named graphs as the default graph (Fuseki's unionDefaultGraph).
    union_default_graph: bool = True

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Settings from ``MCFKG_<NAME>`` environment variables, then explicit overrides."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"MCFKG_{f.name.upper()}")
            if raw is None:
                continue
            if f.name == "service_allowlist":
                values[f.name] = _env_list(raw)
            elif f.name == "union_default_graph":
                values[f.name] = raw.lower() in {"1", "true", "yes", "on"}
            elif f.name.endswith(("_dir", "_path")):
                values[f.name] = Path(raw)
            elif f.name.endswith(("_s",)):
                values[f.name] = float(raw)
            elif f.name.startswith(("max_", "query_workers", "page_max_")):
                values[f.name] = int(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
