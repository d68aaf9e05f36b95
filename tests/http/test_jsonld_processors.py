"""Entity JSON-LD as the reference JSON-LD processor reads it: pyld (the algorithms jsonld.js implements).

A page's JSON-LD must mean, to pyld, exactly what its N-Quads say (every fact in the named graph of
the sentence that states it) plus their union as the default graph, as the README promises. rdflib
reads a top-level ``{"@graph": [...]}`` without ``@id`` as the default graph; pyld, like jsonld.js,
reads it as a named graph with a blank-node name, which left its default graph empty.

pyld runs offline: its document loader serves only the project's own context file and refuses
anything else, and the test checks that nothing was asked for.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from pyld import jsonld

CONTEXT_FILE = Path(__file__).resolve().parents[2] / "ontology" / "context.jsonld"
PAGES = ["id/c919", "id/mianyang", "id/sichuan-jiuzhou-electric-group", "id/skyeye-laser",
         "id/skyeye-laser-low-level-flying-platform-application-sectors",
         "graph/curation", "def/tierOneSupplierFor"]
CANONICAL = {"algorithm": "URDNA2015", "inputFormat": "application/n-quads", "format": "application/n-quads"}


class OfflineLoader:
    """A pyld document loader that serves the project's context file by its name and refuses the network."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        if url.endswith("/" + CONTEXT_FILE.name):
            return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                    "document": json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))}
        self.refused.append(url)
        raise jsonld.JsonLdError(f"offline: {url} was not fetched", "jsonld.LoadDocumentError",
                                 code="loading document failed")


@pytest.fixture(scope="module")
def client(site) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=site.url, timeout=30) as c:
        yield c


def canonical(nquads: str, loader: OfflineLoader) -> set[str]:
    """URDNA2015 canonical N-Quads lines: equal sets mean the same dataset, blank nodes included."""
    return set(jsonld.normalize(nquads, {**CANONICAL, "documentLoader": loader}).splitlines())


def with_union_as_default_graph(nquads: str) -> str:
    """The page's quads, plus each of their triples in the default graph."""
    quads = list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))
    union = [ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads]
    return (ox.serialize([*quads, *union], format=ox.RdfFormat.N_QUADS) or b"").decode()


@pytest.mark.parametrize("path", PAGES)
def test_pyld_reads_the_facts_in_their_graphs_and_the_union_as_default_graph(client: httpx.Client, path: str) -> None:
    document = client.get(f"/{path}.jsonld").json()
    nquads = client.get(f"/{path}.nq").text
    loader = OfflineLoader()
    read = jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    in_default_graph = [q for q in ox.parse(read.encode(), format=ox.RdfFormat.N_QUADS)
                        if isinstance(q.graph_name, ox.DefaultGraph)]
    assert in_default_graph, f"pyld sees an empty default graph in /{path}.jsonld"
    assert canonical(read, loader) == canonical(with_union_as_default_graph(nquads), loader)
    assert not loader.refused, f"pyld tried to fetch {loader.refused}"
