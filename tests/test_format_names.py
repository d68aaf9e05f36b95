"""One vocabulary of format names (mcfkg.formats) for every command and the HTTP ``format=`` parameter.

Every name and file extension means the same format to ``mcfkg query``, ``mcfkg export``,
``mcfkg validate`` and the server's content negotiation; a name that is not one is refused
with the list of names that are. The commands run as the real console script, through pipes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from mcfkg.formats import BOOLEAN, FORMATS, GRAPH, SOLUTIONS, find
from mcfkg.query import result_formats
from mcfkg.sparql.negotiation import negotiate

MCFKG = str(Path(sys.executable).parent / "mcfkg")
NAMES = sorted({(name, kind) for f in FORMATS for name in f.names for kind in f.kinds})


@pytest.mark.parametrize(("name", "kind"), NAMES)
def test_a_name_means_one_format_to_the_server_and_the_command_line(name: str, kind: str) -> None:
    expected = find(name, {kind})
    assert expected is not None
    assert negotiate(None, name, kind) == expected.media_type  # HTTP format=
    assert negotiate(None, expected.suffix, kind) == expected.media_type  # its file extension: .ttl
    assert result_formats(name).for_kind(kind) == expected.media_type  # mcfkg query --format


def test_the_usual_aliases_and_extensions_are_names() -> None:
    for name, media_type in {"ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
                             "ntriples": "application/n-triples", "n-triples": "application/n-triples",
                             "nq": "application/n-quads", "nquads": "application/n-quads", "trig": "application/trig",
                             "jsonld": "application/ld+json", "json-ld": "application/ld+json",
                             "rdf": "application/rdf+xml", "xml": "application/rdf+xml", "rdfxml": "application/rdf+xml",
                             ".ttl": "text/turtle", "NQ": "application/n-quads"}.items():
        assert getattr(find(name, {GRAPH}), "media_type", None) == media_type, name
    for name, media_type in {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                             "csv": "text/csv", "tsv": "text/tab-separated-values", "srj": "application/sparql-results+json"
                             }.items():
        assert getattr(find(name, {SOLUTIONS, BOOLEAN}), "media_type", None) == media_type, name


def _piped(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MCFKG_")}
    return subprocess.run([MCFKG, *args], env={**clean, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=180, check=False)


@pytest.mark.parametrize(("name", "parser"), [("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
                                              ("ntriples", ox.RdfFormat.N_TRIPLES), ("nq", ox.RdfFormat.N_QUADS),
                                              ("json-ld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML)])
def test_export_takes_every_name(pipeline_env: dict[str, str], name: str, parser: ox.RdfFormat) -> None:
    done = _piped("export", "--format", name, env=pipeline_env)
    assert done.returncode == 0, done.stderr
    assert list(ox.parse(done.stdout, format=parser))


def test_an_unknown_name_is_a_usage_error_listing_the_names(pipeline_env: dict[str, str]) -> None:
    for command in (["export", "--format", "yaml"], ["query", "ASK {}", "--format", "yaml"],
                    ["validate", "--format", "yaml"]):
        done = _piped(*command, env={**pipeline_env, "COLUMNS": "300"})
        assert done.returncode == 2, command
        message = " ".join(done.stderr.decode().split())
        assert "unknown --format 'yaml'" in message and "turtle (ttl)" in message and "nquads (nq, n-quads)" in message


def test_validate_writes_the_report_in_any_rdf_format(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://w3id.org/mcfkg/id/ghost> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                   "<https://w3id.org/mcfkg/def/Product> .\n")
    for name, parser in (("ttl", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES), ("nq", ox.RdfFormat.N_QUADS)):
        done = _piped("validate", str(bad), "--format", name, env=pipeline_env)
        assert done.returncode == 1, done.stderr
        assert any(q.object == ox.NamedNode("http://www.w3.org/ns/shacl#ValidationReport")
                   for q in ox.parse(done.stdout, format=parser)), name
