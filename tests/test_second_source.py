"""The second source (issue 10): the Mianyang Development and Reform Commission's release of 2018-04-28.

``data/sources/mianyang-mcf-special-fund-2018-04-28.trig`` was written by ``mcfkg ingest``. These
tests read the graph as a user does, through the real console script on a private copy of the
shipped ontology and data (built once for the module, so ``data/`` and ``dist/`` here are never
touched): the approval date the release states is in the graph of its sentence, both sources record
their URL, publication date and how that date was established, and ``mcfkg sources`` lists both
with the method's label.
"""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from project_copy import built_copy, run_mcfkg

ROOT = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/mcfkg/id/"
ARTICLE = ID + "mianyang-mcf-article"
RELEASE_ID = "mianyang-mcf-special-fund-2018-04-28"
RELEASE = ID + RELEASE_ID
ARTICLE_URL = "http://en.my.gov.cn/MYGOV/159036660376403968/20180416/2229892.html"
RELEASE_URL = "http://en.my.gov.cn/MYGOV/159036660376403968/20180428/2232168.html"
PREFIXES = """PREFIX mcf: <https://w3id.org/mcfkg/def/>
PREFIX mcfid: <https://w3id.org/mcfkg/id/>
PREFIX mcfg: <https://w3id.org/mcfkg/graph/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped ontology and data (with the ingested release), copied and built once."""
    return built_copy(tmp_path_factory.mktemp("second-source"))


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_mcfkg(root, *args, timeout=300)


def _select(root: Path, query: str) -> list[dict[str, str]]:
    """The rows of a SELECT run by ``mcfkg query`` (the endpoint's engine and default graph), from its CSV."""
    done = _run(root, "query", PREFIXES + query, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_the_approval_date_is_the_release_s_claim_in_the_graph_of_its_sentence(project: Path) -> None:
    """'On April 18, the ... Plan ... was approved by the ... NDRC': a month and a day, no year supplied."""
    rows = _select(project, """
        SELECT ?date ?datatype ?approver ?source ?paragraph ?sentence ?excerpt WHERE {
          GRAPH ?g { mcfid:mianyang-mcf-cluster-plan dcterms:dateAccepted ?date ; mcf:approvedBy ?approver }
          ?g a mcf:FactGraph ; prov:wasDerivedFrom ?passage .
          ?passage dcterms:isPartOf ?source ; mcf:paragraph ?paragraph ; mcf:sentence ?sentence ; mcf:excerpt ?excerpt .
          BIND (DATATYPE(?date) AS ?datatype)
        } ORDER BY ?source""")
    assert rows == [{
        "date": "--04-18", "datatype": "http://www.w3.org/2001/XMLSchema#gMonthDay", "approver": ID + "ndrc",
        "source": RELEASE, "paragraph": "1", "sentence": "1", "excerpt": "On April 18",
    }]
    # The article states no approval date: 'recently' stays its scope note, in its own graph.
    undated = _select(project, """
        SELECT ?note WHERE {
          GRAPH ?g { mcfid:mianyang-mcf-cluster-plan <http://www.w3.org/2004/02/skos/core#scopeNote> ?note }
          ?g prov:wasDerivedFrom/dcterms:isPartOf mcfid:mianyang-mcf-article .
        } ORDER BY ?note""")
    assert [row["note"] for row in undated] == ["Approved 'recently'; the source gives no date."]


def test_both_sources_record_their_url_date_and_how_the_date_was_established(project: Path) -> None:
    rows = _select(project, """
        SELECT ?source ?url ?issued ?method ?label ?dateStated ?urlMethod WHERE {
          ?source a mcf:SourceDocument ; schema:url ?url ; dcterms:issued ?issued ;
                  mcf:dateEstablishedBy ?method ; mcf:dateStated ?dateStated ; mcf:urlEstablishedBy ?urlMethod .
          GRAPH mcfg:ontology { ?method rdfs:label ?label }
          FILTER (LANG(?label) = "en")
        } ORDER BY ?source""")
    method = "https://w3id.org/mcfkg/def/dateFromUrlPath"
    stored_copy = "https://w3id.org/mcfkg/def/urlOfStoredCopy"
    assert rows == [
        {"source": ARTICLE, "url": ARTICLE_URL, "issued": "2018-04-16", "method": method,
         "label": "derived from the URL path", "dateStated": "false", "urlMethod": stored_copy},
        {"source": RELEASE, "url": RELEASE_URL, "issued": "2018-04-28", "method": method,
         "label": "derived from the URL path", "dateStated": "false", "urlMethod": stored_copy},
    ]
    for row in rows:  # the date is read from the path: its digits are there
        assert row["issued"].replace("-", "") in row["url"]
    # No retrieval date is invented: when the stored copies were made is not known.
    assert _select(project, "SELECT ?s ?r WHERE { ?s <http://purl.org/pav/retrievedOn> ?r } ORDER BY ?s") == []


def test_mcfkg_sources_in_a_pipe_lists_both_sources_with_the_method_s_label(project: Path) -> None:
    listed = _run(project, "sources")
    assert listed.returncode == 0, listed.stderr
    lines = [line.split("\t") for line in listed.stdout.splitlines() if "\t" in line]
    header, rows = lines[0], {line[0]: dict(zip(lines[0], line, strict=True)) for line in lines[1:]}
    assert header[:8] == ["source", "title", "publisher", "language", "url", "published", "date established", "retrieved"]
    assert sorted(rows) == [ARTICLE, RELEASE]
    release = rows[RELEASE]
    assert release["title"] == ("Special Fund Was Granted to China Sci-Tech City (Miangyang) for the High-Tech Cluster "
                                "Development of the Military-Civilian Integration")
    assert (release["publisher"], release["language"], release["url"], release["published"]) == (
        "Mianyang Development and Reform Commission", "en", RELEASE_URL, "2018-04-28")
    assert (rows[ARTICLE]["url"], rows[ARTICLE]["published"]) == (ARTICLE_URL, "2018-04-16")
    assert {row["date established"] for row in rows.values()} == {"derived from the URL path"}
    assert {row["retrieved"] for row in rows.values()} == {""}
    assert (release["fact graphs"], rows[ARTICLE]["fact graphs"]) == ("9", "26")


def test_the_release_restates_the_grant_on_the_article_s_iris(project: Path) -> None:
    """Its subheading and first sentence state the RMB 500 million grant again: the same grant, amount node,
    funder and plan, each in the graph of the sentence, in base units with the currency."""
    rows = _select(project, f"""
        SELECT ?paragraph ?sentence ?funder ?funded ?value ?currency WHERE {{
          GRAPH ?g {{ mcfid:mianyang-mcf-grant mcf:amount ?amount ; mcf:grantedBy ?funder .
                     ?amount schema:value ?value ; schema:currency ?currency .
                     OPTIONAL {{ mcfid:mianyang-mcf-grant mcf:funds ?funded }} }}
          ?g prov:wasDerivedFrom ?passage .
          ?passage dcterms:isPartOf <{RELEASE}> ; mcf:paragraph ?paragraph ; mcf:sentence ?sentence .
        }} ORDER BY ?paragraph ?sentence""")
    grant = {"funder": ID + "central-government", "value": "500000000", "currency": "CNY"}
    assert rows == [
        {"paragraph": "0", "sentence": "2", "funded": "", **grant},
        {"paragraph": "1", "sentence": "1", "funded": ID + "mianyang-mcf-cluster-plan", **grant},
    ]


def test_only_sentences_read_whole_are_recorded_with_short_excerpts_and_no_copy_of_the_text(project: Path) -> None:
    rows = _select(project, f"""
        SELECT ?paragraph ?sentence ?excerpt WHERE {{
          ?passage dcterms:isPartOf <{RELEASE}> ; mcf:paragraph ?paragraph ; mcf:sentence ?sentence ; mcf:excerpt ?excerpt .
        }} ORDER BY ?paragraph ?sentence""")
    assert [(int(r["paragraph"]), int(r["sentence"])) for r in rows] == [
        (0, 1), (0, 2), (1, 1), (2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (3, 1)]
    assert all(len(r["excerpt"].split()) <= 6 for r in rows)
    assert sorted(p.name for p in (ROOT / "data" / "sources").glob(f"{RELEASE_ID}*")) == [f"{RELEASE_ID}.trig"]


def test_who_said_what_and_what_the_plan_proposes(project: Path) -> None:
    said = _select(project, f"""
        SELECT ?paragraph ?sentence ?outcome ?speaker ?employer WHERE {{
          GRAPH ?g {{ ?outcomeNode a mcf:ExpectedOutcome ; rdfs:label ?outcome ; prov:wasAttributedTo ?speaker }}
          ?g prov:wasDerivedFrom ?passage .
          ?passage dcterms:isPartOf <{RELEASE}> ; mcf:paragraph ?paragraph ; mcf:sentence ?sentence .
          ?speaker <http://www.w3.org/ns/org#memberOf> ?employer .
        }} ORDER BY ?paragraph ?sentence""")
    assert [(r["paragraph"], r["sentence"], r["speaker"], r["employer"]) for r in said] == [
        ("2", "4", ID + "mianyang-drc-official", ID + "mianyang-drc"),
        ("2", "5", ID + "mianyang-drc-official", ID + "mianyang-drc"),
    ]
    assert said[0]["outcome"].startswith("helping Mianyang coordinate military-civilian integration")
    assert said[1]["outcome"] == "more support and confidence for the development of China Science and Technology City (Mianyang)"
    proposed = _select(project, """
        SELECT ?priority WHERE {
          mcfid:mianyang-mcf-cluster-plan mcf:proposes ?strategy .
          ?strategy mcf:pursuedBy mcfid:mianyang ; mcf:priority/rdfs:label ?priority .
          FILTER (LANG(?priority) = "en")
        } ORDER BY ?priority""")
    assert [r["priority"] for r in proposed] == [
        "accelerating the transfer of advanced technologies",
        "deepening the reform experiment to promote the development of innovation platforms",
        "developing military-civilian integration",
        "innovation-driven development",
    ]
