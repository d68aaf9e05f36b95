"""The build, validate, query and export commands, driven as a user drives them (CliRunner, and the real script)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import RDF, SH, Dataset, Graph, Literal
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from mcfkg.build import build
from mcfkg.cli import app
from mcfkg.config import Settings
from mcfkg.formats import BOOLEAN, GRAPH, SOLUTIONS, find
from mcfkg.query import GRAPH_FORMATS, SOLUTION_FORMATS
from mcfkg.vocab import Vocab

V = Vocab()
PIPELINE_DATA = Path(__file__).parent / "data" / "pipeline"
DIST_FILES = {"mcfkg.trig", "mcfkg.nq", "mcfkg.ttl", "mcfkg.nt", "mcfkg.rdf", "mcfkg.jsonld", "void.ttl"}
# Queries declare their prefixes, as on the server (mcfkg query runs them the same way).
PROLOGUE = (f"PREFIX mcf: <{V.MCF}> PREFIX mcfid: <{V.ID}> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n")


@pytest.fixture
def cli(pipeline_env: dict[str, str]):
    """Run ``mcfkg ARGS`` on the pipeline fixture; wide columns so rich tables do not wrap."""
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env={**pipeline_env, "COLUMNS": "240"})


@pytest.fixture(scope="module")
def query_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """``MCFKG_*`` variables for a copy of the pipeline fixture built once: queries read the build."""
    root = tmp_path_factory.mktemp("query")
    shutil.copytree(PIPELINE_DATA, root / "repo")
    settings = Settings(ontology_dir=root / "repo" / "ontology", data_dir=root / "repo" / "data", dist_dir=root / "dist")
    build(settings)
    return {"MCFKG_ONTOLOGY_DIR": str(settings.ontology_dir), "MCFKG_DATA_DIR": str(settings.data_dir),
            "MCFKG_DIST_DIR": str(settings.dist_dir)}


@pytest.fixture
def query(query_env: dict[str, str]):
    """Run ``mcfkg query PROLOGUE+TEXT ARGS`` on the built pipeline fixture."""
    runner = CliRunner()
    return lambda text, *args: runner.invoke(app, ["query", PROLOGUE + text, *args], env={**query_env, "COLUMNS": "240"})


def _break_amount(settings: Settings) -> None:
    trig = settings.data_dir / "article.trig"
    trig.write_text(trig.read_text().replace('"500000000"^^xsd:decimal', '"-500000000"^^xsd:decimal'))


def test_build_writes_every_format_and_reports_counts(cli, pipeline_settings: Settings) -> None:
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert DIST_FILES | {"context.jsonld"} == {p.name for p in pipeline_settings.dist_dir.iterdir()}
    assert "inferred triples" in result.output and "reason (s)" in result.output
    quads = Dataset().parse(pipeline_settings.dist_dir / "mcfkg.nq", format="nquads")
    assert (V.ID.c919, V.MCF.hasTierOneSupplier, V.ID.jiuzhou) in quads.graph(V.inferred_graph)


def test_build_under_another_base_iri_rewrites_every_iri(cli, tmp_path: Path) -> None:
    dist = tmp_path / "other"
    result = cli("build", "--dist", str(dist), "--base-iri", "http://localhost:9000/kg/")
    assert result.exit_code == 0, result.output
    text = (dist / "mcfkg.nq").read_text()
    assert "<http://localhost:9000/kg/id/jiuzhou>" in text and "https://w3id.org/mcfkg/" not in text
    assert "https://w3id.org/mcfkg/" not in (dist / "mcfkg.jsonld").read_text()


def test_build_with_malformed_turtle_reports_file_and_line_and_writes_nothing(cli, pipeline_settings: Settings) -> None:
    ontology = pipeline_settings.ontology_dir / "mcf.ttl"
    lines = ontology.read_text().splitlines()
    lines[20] = "mcf:Broken a owl:Class ;; rdfs:label 'unterminated"
    ontology.write_text("\n".join(lines) + "\n")
    result = cli("build")
    assert result.exit_code == 2
    assert f"{ontology}:21:" in result.stderr
    assert "Traceback" not in result.output
    assert not pipeline_settings.dist_dir.exists()


def test_build_with_a_violation_prints_the_report_and_keeps_the_old_dist(cli, pipeline_settings: Settings) -> None:
    assert cli("build").exit_code == 0
    before = {p.name: p.read_bytes() for p in pipeline_settings.dist_dir.iterdir()}
    _break_amount(pipeline_settings)
    result = cli("build")
    assert result.exit_code == 1
    assert "national special fund" in result.stderr and "mcf:amount" in result.stderr
    assert "A fund's amount cannot be negative." in result.stderr
    assert "nothing was written" in result.stderr
    assert {p.name: p.read_bytes() for p in pipeline_settings.dist_dir.iterdir()} == before


def test_validate_shipped_data_conforms(cli) -> None:
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert "Conforms." in result.output


def test_validate_given_file_reports_label_path_and_message(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix mcf: <https://w3id.org/mcfkg/def/> . @prefix mcfid: <https://w3id.org/mcfkg/id/> .\n"
        "mcfid:ghost a mcf:Enterprise .\n"
        'mcfid:fund a mcf:Fund ; mcf:amount "lots" ; mcf:currency "CNY" .\n'
    )
    result = cli("validate", str(bad))
    assert result.exit_code == 1
    for expected in ("mcfid:ghost", "rdfs:label", "An organisation needs a label.", "mcfid:fund", "mcf:amount",
                     "A fund's amount is one xsd:decimal.", "Does not conform."):
        assert expected in result.output


def test_validate_turtle_format_prints_the_shacl_report_graph(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_text("<https://w3id.org/mcfkg/id/ghost> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/mcfkg/def/Product> .\n")
    result = cli("validate", str(bad), "--format", "turtle")
    assert result.exit_code == 1
    report = Graph().parse(data=result.stdout, format="turtle")
    assert "Does not conform." in result.stderr
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    assert set(report.objects(None, SH.focusNode)) == {V.ID.ghost}


def test_validate_unreadable_input_exits_2(cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.trig"
    bad.write_text("<a> <b> { \n")
    result = cli("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:" in result.stderr and "Traceback" not in result.output
    assert cli("validate", str(tmp_path / "missing.ttl")).exit_code == 2


def test_query_select_as_table_json_and_csv(query) -> None:
    text = "SELECT ?label WHERE { mcfid:jiuzhou rdfs:label ?label } ORDER BY ?label"
    table = query(text)
    assert table.exit_code == 0, table.output
    assert "Sichuan Jiuzhou Electric Group" in table.output and "四川九洲电器集团" in table.output
    as_json = json.loads(query(text, "--format", "json").stdout)
    assert [b["label"]["value"] for b in as_json["results"]["bindings"]] == ["Sichuan Jiuzhou Electric Group", "四川九洲电器集团"]
    rows = list(csv.reader(io.StringIO(query(text, "--format", "csv").stdout)))
    assert rows[0] == ["label"] and len(rows) == 3


def test_query_sees_inferred_triples_and_named_graphs(query_env: dict[str, str], tmp_path: Path) -> None:
    rq = tmp_path / "where.rq"
    rq.write_text(PROLOGUE + "SELECT ?g WHERE { GRAPH ?g { mcfid:c919 mcf:hasTierOneSupplier mcfid:jiuzhou } }")
    result = CliRunner().invoke(app, ["query", "--file", str(rq), "--format", "tsv"], env=query_env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["?g", f"<{V.inferred_graph}>"]


def test_query_construct_prints_turtle(query) -> None:
    result = query("CONSTRUCT { mcfid:jiuzhou ?p ?o } WHERE { mcfid:jiuzhou ?p ?o }")
    assert result.exit_code == 0, result.output
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert (V.ID.jiuzhou, V.MCF.tierOneSupplierFor, V.ID.c919) in graph


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("SELECT ?s WHERE { ?s ?p }", "error at 2:"),  # the server's parser, placed in the query as written
        ("SELECT ?s WHERE { ?s nope:p ?o }", "Prefix not found"),
        ("SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE <http://127.0.0.1:9/sparql> is refused"),
        ("ASK { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }", "SERVICE <http://127.0.0.1:9/> is refused"),
        ("LOAD <file:///etc/passwd>", "read-only"),
        ("INSERT DATA { mcfid:a mcfid:b mcfid:c }", "read-only"),
    ],
)
def test_bad_or_unsafe_query_exits_2_with_a_message(query, text: str, message: str) -> None:
    result = query(text)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_query_builds_first_when_the_build_is_missing_or_older_than_a_source(cli, pipeline_settings: Settings) -> None:
    ask = PROLOGUE + "ASK { mcfid:jiuzhou mcf:tierOneSupplierFor mcfid:c919 }"
    first = cli("query", ask)
    assert first.exit_code == 0 and first.stdout == "true\n", first.output
    assert "has no build" in first.stderr and "building it first" in first.stderr
    assert (pipeline_settings.dist_dir / "mcfkg.nq").is_file()
    again = cli("query", ask)
    assert again.exit_code == 0 and again.stderr == ""  # current: read as it is
    trig = pipeline_settings.data_dir / "article.trig"
    trig.write_text(trig.read_text().replace("mcf:tierOneSupplierFor", "mcf:supplierFor"))
    changed = cli("query", ask)
    assert "article.trig changed since" in changed.stderr and changed.stdout == "false\n", changed.output


def test_from_reads_nothing_outside_the_store(query) -> None:
    """FROM names a graph of the store (Oxigraph never dereferences it): a file IRI is just an empty graph."""
    result = query("SELECT ?s FROM <file:///etc/passwd> WHERE { ?s ?p ?o }", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout == "?s\n"


def test_export_to_file_and_stdout(cli, tmp_path: Path) -> None:
    out = tmp_path / "kg.trig"
    assert cli("export", "--format", "trig", "--out", str(out)).exit_code == 0
    ds = Dataset().parse(out, format="trig")
    assert (V.ID.jiuzhou, V.MCF.tierOneSupplierFor, V.ID.c919) in ds.graph(V.GRAPH["article/p1/s1"])
    result = cli("export", "--format", "nt")
    assert result.exit_code == 0
    assert (V.ID.c919, V.MCF.hasTierOneSupplier, V.ID.jiuzhou) in Graph().parse(data=result.stdout, format="nt")
    assert cli("export", "--format", "yaml").exit_code == 2


def test_query_ask_and_select_to_tsv(query) -> None:
    ask = query("ASK { mcfid:jiuzhou mcf:tierOneSupplierFor mcfid:c919 }")
    assert ask.exit_code == 0 and ask.stdout.strip() == "true"
    tsv = query("SELECT ?o ?missing WHERE { mcfid:jiuzhou mcf:tierOneSupplierFor ?o }", "--format", "tsv")
    assert tsv.stdout.splitlines() == ["?o\t?missing", f"<{V.ID.c919}>\t"]


def test_a_wrong_setting_or_an_unwritable_output_is_one_line_not_a_traceback(
    pipeline_env: dict[str, str], tmp_path: Path
) -> None:
    runner, env = CliRunner(), {**pipeline_env, "COLUMNS": "400"}
    wrong = runner.invoke(app, ["build"], env={**env, "MCFKG_QUERY_WORKERS": "two"})
    assert wrong.exit_code == 2, wrong.output
    assert "MCFKG_QUERY_WORKERS='two'" in wrong.stderr and "whole number" in wrong.stderr
    out = tmp_path / "no-such-dir" / "kg.nt"
    unwritable = runner.invoke(app, ["export", "--format", "nt", "--out", str(out)], env=env)
    assert unwritable.exit_code == 2, unwritable.output
    assert f"cannot write {out}" in unwritable.stderr and "Traceback" not in unwritable.output
    both = runner.invoke(app, ["query", "ASK {}", "--file", str(tmp_path / "q.rq")], env=env)
    assert both.exit_code == 2 and "exactly one" in both.stderr


def test_real_console_script_builds(pipeline_env: dict[str, str], tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "mcfkg"
    dist = tmp_path / "script-dist"
    done = subprocess.run(
        [str(script), "build", "--dist", str(dist)],
        env={**pipeline_env, "PATH": str(script.parent), "COLUMNS": "200"},
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert DIST_FILES <= {p.name for p in dist.iterdir()}


QUERIES = {
    "SELECT": "SELECT ?o WHERE { mcfid:jiuzhou mcf:tierOneSupplierFor ?o }",
    "ASK": "ASK { mcfid:jiuzhou mcf:tierOneSupplierFor mcfid:c919 }",
    "CONSTRUCT": "CONSTRUCT { mcfid:jiuzhou ?p ?o } WHERE { mcfid:jiuzhou ?p ?o }",
    "DESCRIBE": "DESCRIBE mcfid:jiuzhou",
}
FITS = {"SELECT": SOLUTION_FORMATS, "ASK": SOLUTION_FORMATS, "CONSTRUCT": GRAPH_FORMATS, "DESCRIBE": GRAPH_FORMATS}
KINDS = {"SELECT": {SOLUTIONS}, "ASK": {BOOLEAN}, "CONSTRUCT": {GRAPH}, "DESCRIBE": {GRAPH}}


@pytest.mark.parametrize("fmt", sorted({*SOLUTION_FORMATS, *GRAPH_FORMATS}))
@pytest.mark.parametrize("kind", sorted(QUERIES))
def test_every_query_kind_in_every_format_answers_or_says_which_formats_fit(query, kind: str, fmt: str) -> None:
    result = query(QUERIES[kind], "--format", fmt)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if fmt != "table" and find(fmt, KINDS[kind]) is None:  # json and xml fit both: results, JSON-LD, RDF/XML
        assert result.exit_code == 2
        assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1
        assert all(f"{f}" in result.stderr for f in FITS[kind] if f != "table")
        return
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_aliases_and_file_extensions_name_the_same_format(query) -> None:
    turtle = Graph().parse(data=query(QUERIES["CONSTRUCT"], "--format", "turtle").stdout, format="turtle")
    for alias in ("ttl", ".ttl", "Turtle"):
        answer = query(QUERIES["CONSTRUCT"], "--format", alias)
        assert isomorphic(Graph().parse(data=answer.stdout, format="turtle"), turtle), alias
    assert query(QUERIES["SELECT"], "--format", "srj").stdout == query(QUERIES["SELECT"], "--format", "json").stdout
    unknown = query(QUERIES["SELECT"], "--format", "yaml")
    assert unknown.exit_code == 2
    assert "unknown --format 'yaml'" in unknown.stderr and "turtle (ttl)" in unknown.stderr and "table" in unknown.stderr


def test_ask_as_csv_and_tsv_is_a_one_column_table_like_jena(query) -> None:
    """CSV/TSV results have no boolean form: Jena/Fuseki (and our server) write ``_askResult`` and the answer."""
    assert query(QUERIES["ASK"], "--format", "csv").stdout_bytes == b"_askResult\r\ntrue\r\n"
    assert query("ASK { mcfid:c919 mcf:tierOneSupplierFor mcfid:jiuzhou }", "--format", "tsv").stdout == (
        "?_askResult\nfalse\n"
    )


def test_a_runaway_query_is_stopped_at_the_time_limit(query) -> None:
    # A count writes no rows while it runs, so neither the row cap nor the output stops it: only the time limit.
    cross_join = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r . "
                  "?s ?t ?u FILTER(STR(?a) != STR(?u)) }")
    started = time.monotonic()
    result = query(cross_join, "--timeout", "1")
    assert result.exit_code == 124, result.output
    assert "ran longer than 1 s and was stopped" in result.stderr and "Traceback" not in result.output
    assert time.monotonic() - started < 10  # the join would take hours
