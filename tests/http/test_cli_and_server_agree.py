"""``mcfkg query`` and the server's ``/sparql`` run a query the same way: same answer, same bytes, same error text.

The command line used to run on rdflib (about 3 s of CPU a call, ``31093000000.0`` where the
server wrote ``31093000000``, parse errors placed elsewhere). Both now read the same build with
the same engine and code, so each query here is sent to both and the outputs are compared. The
command runs as the real console script, its output read from a pipe.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from mcfkg.build import build
from mcfkg.config import Settings
from mcfkg.vocab import Vocab

MCFKG = str(Path(sys.executable).parent / "mcfkg")
PIPELINE = Path(__file__).resolve().parents[1] / "data" / "pipeline"
V = Vocab()
PROLOGUE = f"PREFIX mcf: <{V.MCF}>\nPREFIX mcfid: <{V.ID}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
ANSWERS = {  # query -> (--format, Accept)
    "SELECT (SUM(?a) AS ?total) (COUNT(?a) AS ?n) WHERE { ?fund mcf:amount ?a }": ("csv", "text/csv"),
    "SELECT ?x ?label WHERE { ?x rdfs:label ?label } ORDER BY ?x ?label": ("json", "application/sparql-results+json"),
    "SELECT ?g WHERE { GRAPH ?g { mcfid:c919 mcf:hasTierOneSupplier mcfid:jiuzhou } }": ("tsv", "text/tab-separated-values"),
    "ASK { mcfid:jiuzhou mcf:tierOneSupplierFor mcfid:c919 }": ("xml", "application/sparql-results+xml"),
    "SELECT ?c WHERE { ?c a <http://www.w3.org/2002/07/owl#Class> }": ("csv", "text/csv"),  # the vocabulary: not in the default graph
}
ERRORS = [
    "SELECT ?s WHERE { ?s ?p }",
    "SELECT ?s WHERE {\n  ?s nope:p ?o }",
    "SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER( }",  # placed at line 6 of the text as sent: its own line 3
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A copy of the pipeline fixture, built: what both sides read."""
    root = tmp_path_factory.mktemp("agree")
    shutil.copytree(PIPELINE, root / "repo")
    settings = Settings(ontology_dir=root / "repo" / "ontology", data_dir=root / "repo" / "data", dist_dir=root / "dist")
    build(settings)
    return settings


@pytest.fixture(scope="module")
def server(built: Settings, live_server_factory):
    return live_server_factory(data=[(built.dist_dir / "mcfkg.nq", None)], ontology_dir=built.ontology_dir,
                               data_dir=built.data_dir, dist_dir=built.dist_dir)


def mcfkg_query(settings: Settings, text: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MCFKG_")},
           "MCFKG_ONTOLOGY_DIR": str(settings.ontology_dir), "MCFKG_DATA_DIR": str(settings.data_dir),
           "MCFKG_DIST_DIR": str(settings.dist_dir), "COLUMNS": "1000"}
    return subprocess.run([MCFKG, "query", text, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120, check=False)


@pytest.mark.parametrize("text", sorted(ANSWERS))
def test_same_answer_in_the_same_bytes(built: Settings, server, text: str) -> None:
    fmt, accept = ANSWERS[text]
    cli = mcfkg_query(built, PROLOGUE + text, "--format", fmt)
    http = httpx.post(server.sparql, data={"query": PROLOGUE + text}, headers={"Accept": accept}, timeout=30)
    assert cli.returncode == 0 and http.status_code == 200, (cli.stderr, http.text)
    if fmt == "json":
        assert json.loads(cli.stdout) == json.loads(http.content)
    else:
        assert cli.stdout == http.content
    if "SUM" in text:  # decimals as the engine writes them: 500000000, where rdflib wrote 500000000.0
        assert cli.stdout.splitlines()[1] == b"500000000,1"


def test_same_graph_for_construct(built: Settings, server) -> None:
    text = PROLOGUE + "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    cli = mcfkg_query(built, text, "--format", "nt")
    http = httpx.post(server.sparql, data={"query": text}, headers={"Accept": "application/n-triples"}, timeout=30)
    assert cli.returncode == 0 and http.status_code == 200
    triples = [set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) for body in (cli.stdout, http.content)]
    assert triples[0] == triples[1] and triples[0]


@pytest.mark.parametrize("text", ERRORS)
def test_same_error_text_at_the_same_place(built: Settings, server, text: str) -> None:
    cli = mcfkg_query(built, PROLOGUE + text)
    http = httpx.post(server.sparql, data={"query": PROLOGUE + text}, timeout=30)
    assert cli.returncode == 2 and http.status_code == 400, (cli.stderr, http.text)
    assert cli.stderr.decode().strip() == f"error: {http.text.strip()}"


def test_a_query_takes_a_fraction_of_a_second_of_cpu(built: Settings) -> None:
    """The rdflib version loaded and reasoned the sources on every call: about 3.5 s of CPU here.
    CPU time, not wall time: the machine running the tests may be busy."""
    assert mcfkg_query(built, "ASK {}").returncode == 0  # the build is current: nothing to rebuild
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = mcfkg_query(built, PROLOGUE + "SELECT ?x ?label WHERE { ?x rdfs:label ?label }")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0 and not done.stderr, done.stderr
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    assert cpu < 1.5, f"mcfkg query took {cpu:.2f} s of CPU"
