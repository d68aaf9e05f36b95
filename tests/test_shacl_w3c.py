"""The W3C SHACL test suite (core and SPARQL-based constraints): mcfkg.shacl gives pySHACL's report.

The cases are copied in ``tests/data/w3c-shacl/`` (see its NOTICE.md). pySHACL is the oracle;
cases using what the engine does not implement must be refused (:class:`mcfkg.shacl.Unsupported`),
never validated partially. Where the suite expects a validation failure (a malformed shape or
query), both engines must raise.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pyshacl
import pytest
from rdflib import Graph, Namespace, URIRef

from mcfkg import shacl
from mcfkg.shacl.compare import result_set

SUITE = Path(__file__).parent / "data" / "w3c-shacl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
# Test cases are the files with an mf:action; the others are graphs a case loads.
CASES = sorted(p for p in SUITE.rglob("*.ttl") if p.name != "manifest.ttl" and "mf:action" in p.read_text())
# Cases the engine refuses: custom constraint components (SHACL-SPARQL section 6), $shapesGraph
# (pySHACL cannot either), the inverse of a complex path and a node that is two paths at once.
REFUSED = {"sparql/component", "sparql/pre-binding/shapesGraph-001", "core/path/path-strange-001",
           "core/path/path-strange-002"}


def _graphs(case: Path) -> tuple[Graph, Graph, bool]:
    """The data and shapes graphs of a test case, and whether the suite expects validation to fail."""
    manifest = Graph().parse(case, format="turtle")
    (test,) = manifest.subjects(MF.action, None)
    action = manifest.value(test, MF.action)

    def graph(node: URIRef) -> Graph:  # a relative IRI, resolved against the case's file
        path = Path(unquote(urlparse(str(node)).path))
        return manifest if path == case else Graph().parse(path, format="turtle")

    data, shapes = graph(manifest.value(action, SHT.dataGraph)), graph(manifest.value(action, SHT.shapesGraph))
    return data, shapes, manifest.value(test, MF.result) == SHT.Failure


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(SUITE).with_suffix("")))
def test_same_report_as_pyshacl(case: Path) -> None:
    data, shapes, failure = _graphs(case)
    if {str(case.parent.relative_to(SUITE)), str(case.relative_to(SUITE).with_suffix(""))} & REFUSED:
        with pytest.raises((shacl.Unsupported, shacl.InvalidShape)):
            shacl.results(data, shapes)
        return
    if failure:  # pySHACL accepts some of these queries; the suite, not pySHACL, is the oracle here
        with pytest.raises((shacl.Unsupported, shacl.InvalidShape)):
            shacl.results(data, shapes)
        return
    _, expected, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    found = shacl.results(data, shapes)
    mine = shacl.report_graph(found, not found, shapes, data)
    assert result_set(mine, shapes) == result_set(expected, shapes)
