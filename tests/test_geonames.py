"""GeoNames candidates for places, from `mcfkg link propose` and `mcfkg extract --link`, through the CLI.

GeoNames is stood in for by a small HTTP server on 127.0.0.1 that speaks its search protocol:
``GET /searchJSON?q=NAME&maxRows=N&username=USER`` answers ``{"totalResultsCount", "geonames": [...]}``,
and a refusal is ``{"status": {"message", "value"}}`` with HTTP 200, as the real service sends it
(code 10 for a missing user, 18 for a user out of daily credits such as the shared "demo").
Feature ids 1800627 (Mianyang) and 1794299 (Sichuan) are GeoNames' own; the 99000xx ones are invented.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from live_mcfkg import MCFKG, free_port, mcfkg_serve
from rdflib import OWL, URIRef

from mcfkg.extract.review_file import read_review
from mcfkg.graph import load_dataset
from mcfkg.vocab import Vocab

ROOT = Path(__file__).resolve().parents[1]
GN = "https://sws.geonames.org/"
ID = Vocab().ID


def feature(geoname_id: int, name: str, admin1: str, fcl: str, fcode: str, country: str = "China") -> dict:
    return {"geonameId": geoname_id, "name": name, "toponymName": name, "countryCode": "CN", "countryName": country,
            "adminName1": admin1, "fcl": fcl, "fcode": fcode, "lat": "31.0", "lng": "104.0"}


FEATURES = [
    feature(1800627, "Mianyang", "Sichuan", "P", "PPLA2"),
    feature(9900001, "Mianyang", "Hubei", "P", "PPL"),  # a namesake village elsewhere
    feature(1794299, "Sichuan", "Sichuan", "A", "ADM1"),
    feature(9900011, "Qingshan", "Yunhe", "P", "PPLA2"),
    feature(9900012, "Yunhe", "Yunhe", "A", "ADM1"),
]


@dataclass
class StandIn:
    """The stand-in's base URL and every query it was sent (path and parameters)."""

    url: str
    requests: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)

    def names(self) -> list[str]:
        return [params.get("q", [""])[0] for _, params in self.requests]


@pytest.fixture
def geonames() -> Iterator[StandIn]:
    """A GeoNames search service on a free port of 127.0.0.1, stopped after the test."""
    served = StandIn("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            parts = urlsplit(self.path)
            params = parse_qs(parts.query)
            served.requests.append((parts.path, params))
            user, q = params.get("username", [""])[0], params.get("q", [""])[0].lower()
            if user == "slow":
                time.sleep(3)
            if parts.path != "/searchJSON":
                self._send(404, b"not found")
                return
            if not user:
                body = {"status": {"message": "Please add a username to each call.", "value": 10}}
            elif user == "portal":  # a web page where the service was expected
                self._send(200, b"<html><body>Welcome</body></html>")
                return
            elif user == "demo":
                body = {"status": {"message": "the daily limit of 20000 credits for demo has been exceeded.",
                                   "value": 18}}
            else:
                rows = [f for f in FEATURES if q and q in f["name"].lower()][: int(params.get("maxRows", ["100"])[0])]
                body = {"totalResultsCount": len(rows), "geonames": rows}
            self._send(200, json.dumps(body).encode())

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    served.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


ONTOLOGY = """@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
<https://w3id.org/mcfkg/def/> a owl:Ontology .
mcf:City a owl:Class ; rdfs:subClassOf schema:Place .
mcf:Province a owl:Class ; rdfs:subClassOf schema:Place .
mcf:Country a owl:Class ; rdfs:subClassOf schema:Place .
mcf:Region a owl:Class ; rdfs:subClassOf schema:Place .
mcf:GovernmentAgency a owl:Class .
"""
# Everything is linked to Wikidata already, so `link propose` asks only GeoNames (the Wikidata endpoint
# of these tests is a closed port: asking it would fail the command).
DATA = """@prefix mcf: <https://w3id.org/mcfkg/def/> .
@prefix mcfid: <https://w3id.org/mcfkg/id/> .
@prefix mcfg: <https://w3id.org/mcfkg/graph/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
GRAPH mcfg:test {
  mcfid:china a mcf:Country ; rdfs:label "People's Republic of China"@en ; owl:sameAs wd:Q148 ,
      <https://sws.geonames.org/1814991/> .
  mcfid:sichuan a mcf:Province ; rdfs:label "Sichuan Province"@en, "四川省"@zh ; mcf:locatedIn mcfid:china ;
      owl:sameAs wd:Q19770 .
  mcfid:mianyang a mcf:City ; rdfs:label "Mianyang"@en, "绵阳市"@zh ; mcf:locatedIn mcfid:sichuan ;
      owl:sameAs wd:Q426130 .
  mcfid:western-region a mcf:Region ; rdfs:label "western region"@en ; owl:sameAs wd:Q990000050 .
  mcfid:ndrc a mcf:GovernmentAgency ; rdfs:label "National Development and Reform Commission"@en ;
      owl:sameAs wd:Q990000020 .
}
"""


@pytest.fixture
def project(tmp_path: Path) -> dict[str, str]:
    """The environment of `mcfkg link` on an ontology and data of our own, with a GeoNames username set."""
    (tmp_path / "ontology").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "ontology" / "mcf.ttl").write_text(ONTOLOGY, encoding="utf-8")
    (tmp_path / "data" / "test.trig").write_text(DATA, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MCFKG_GEONAMES")}
    return {**env, "MCFKG_ONTOLOGY_DIR": str(tmp_path / "ontology"), "MCFKG_DATA_DIR": str(tmp_path / "data"),
            "MCFKG_LINK_ENDPOINT": f"http://127.0.0.1:{free_port()}/sparql", "MCFKG_LINK_TIMEOUT_S": "2",
            "MCFKG_GEONAMES_USERNAME": "mcfkg-tests", "COLUMNS": "250"}


def mcfkg(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MCFKG, *args], env=env, cwd=cwd, check=False, capture_output=True, text=True, timeout=240)


def propose(env: dict[str, str], out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return mcfkg("link", "propose", "--out", str(out), *extra, env=env)


# --------------------------------------------------------------------------- mcfkg link propose
def test_propose_ranks_geonames_features_of_places_as_it_ranks_wikidata_items(
        geonames: StandIn, project: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "review.csv"
    run = propose(project, out, "--geonames-service", geonames.url)
    assert run.returncode == 0, run.stdout + run.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    mianyang = [r for r in rows if r["entity"] == str(ID["mianyang"])]
    assert [r["candidate"] for r in mianyang] == [GN + "1800627/", GN + "9900001/"]
    city, namesake = mianyang
    assert (city["type_ok"], city["place_ok"], city["predicate"]) == ("yes", "yes", "owl:sameAs")
    assert "GeoNames P.PPLA2 in Sichuan, China" in city["evidence"]
    assert float(city["score"]) > float(namesake["score"])
    assert namesake["place_ok"] == "no" and namesake["predicate"] == ""
    assert "not where our entity is" in namesake["advice"]
    # "Sichuan Province" is searched as "Sichuan" too, and the first-level division fits a province.
    sichuan = next(r for r in rows if r["entity"] == str(ID["sichuan"]))
    assert (sichuan["candidate"], sichuan["type_ok"]) == (GN + "1794299/", "yes")
    assert {r["endpoint"] for r in rows} == {geonames.url + "/searchJSON"}
    # Only places without a GeoNames link are searched, by their English names, with our username.
    assert sorted(set(geonames.names())) == ["Mianyang", "Sichuan", "Sichuan Province", "western region"]
    assert all(path == "/searchJSON" and params["username"] == ["mcfkg-tests"] and params["maxRows"] == ["10"]
               for path, params in geonames.requests)
    # An empty answer is a reason, not an error.
    assert "western-region: no GeoNames feature with a matching English name" in run.stdout

    decided = [{**r, "decision": "accept" if r is city else "reject"} for r in rows]
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(decided)
    links = tmp_path / "links.trig"
    accepted = mcfkg("link", "accept", str(out), "--links", str(links), env=project)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    graph = load_dataset([links]).graph(Vocab().GRAPH["links"])
    assert (ID["mianyang"], OWL.sameAs, URIRef(GN + "1800627/")) in graph
    assert (ID["link/mianyang-geonames-1800627"], None, None) in graph


def test_without_a_username_geonames_is_not_asked(geonames: StandIn, project: dict[str, str], tmp_path: Path) -> None:
    env = {k: v for k, v in project.items() if k != "MCFKG_GEONAMES_USERNAME"}
    run = propose(env, tmp_path / "review.csv", "--geonames-service", geonames.url)
    assert run.returncode == 0, run.stdout + run.stderr
    assert geonames.requests == []
    assert "GeoNames was not asked: set MCFKG_GEONAMES_USERNAME" in run.stdout


def test_a_refusal_in_a_200_answer_tells_the_demo_user_to_register(
        geonames: StandIn, project: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "review.csv"
    run = propose({**project, "MCFKG_GEONAMES_USERNAME": "demo"}, out, "--geonames-service", geonames.url)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and not out.exists()
    message = " ".join(run.stderr.split())
    assert "refused the search as user 'demo'" in message and "(code 18)" in message
    assert "https://www.geonames.org/login" in message and "MCFKG_GEONAMES_USERNAME" in message


@pytest.mark.parametrize("case", ["unreachable", "too slow", "not GeoNames", "not JSON"])
def test_an_unusable_service_fails_in_one_message_and_bounded_time(
        case: str, geonames: StandIn, project: dict[str, str], tmp_path: Path) -> None:
    if case == "unreachable":
        env, url = project, f"http://127.0.0.1:{free_port()}"
    elif case == "too slow":
        env, url = {**project, "MCFKG_GEONAMES_USERNAME": "slow", "MCFKG_LINK_TIMEOUT_S": "1"}, geonames.url
    elif case == "not GeoNames":
        env, url = project, geonames.url + "/elsewhere"
    else:
        env, url = {**project, "MCFKG_GEONAMES_USERNAME": "portal"}, geonames.url
    run = propose(env, tmp_path / "review.csv", "--geonames-service", url)
    assert run.returncode == 3, run.stdout + run.stderr
    message = " ".join(run.stderr.split())
    assert "Traceback" not in run.stderr and url in message
    if case == "unreachable":
        assert "Cannot reach GeoNames service" in message and "Are you offline?" in message
    elif case == "too slow":
        assert "did not answer within 1 s" in message
    elif case == "not GeoNames":
        assert "answered HTTP 404" in message
    else:
        assert "is it a GeoNames web service?" in message


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/", "http://127.0.0.1:1/searchJSON", "http://127.0.0.1:1/?q=x"])
def test_a_geonames_service_that_is_not_a_base_url_is_a_usage_error(url: str, project: dict[str, str],
                                                                    tmp_path: Path) -> None:
    run = propose(project, tmp_path / "review.csv", "--geonames-service", url)
    assert run.returncode == 2 and "Traceback" not in run.stderr and "--geonames-service" in run.stderr


# --------------------------------------------------------------------------- mcfkg extract --link
ARTICLE = """Qingshan Opens a Navigation Test Base

The Qingshan Navigation Test Base was opened in Qingshan City, Yunhe Province. The Qingshan Municipal Bureau of
Industry will run it.
"""


@pytest.fixture(scope="module")
def wikidata() -> Iterator[str]:
    """The Wikidata stand-in of the link tests, which knows none of the article's names."""
    with mcfkg_serve(ROOT / "tests" / "data" / "wikidata-extract.ttl") as url:
        yield url


def test_extract_link_puts_geonames_candidates_of_new_places_in_the_review_file(
        geonames: StandIn, wikidata: str, tmp_path: Path) -> None:
    article = tmp_path / "qingshan.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "data").mkdir()  # a graph of the ontology alone: its class hierarchy says what a place is
    env = {**os.environ, "MCFKG_ONTOLOGY_DIR": str(ROOT / "ontology"), "MCFKG_DATA_DIR": str(tmp_path / "data"),
           "MCFKG_DIST_DIR": str(tmp_path / "dist"), "MCFKG_LINK_ENDPOINT": wikidata,
           "MCFKG_GEONAMES_USERNAME": "mcfkg-tests", "COLUMNS": "200"}
    out = tmp_path / "qingshan.review.trig"
    run = mcfkg("extract", str(article), "--out", str(out), "--id", "qingshan-base", "--link", "--geonames-service",
                geonames.url, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    notes = {c.triples[0][0]: c.note or "" for c in read_review(out).candidates if c.kind == "entity"}
    assert f"GeoNames candidates (check with `mcfkg link propose`/`verify` before linking): {GN}9900011/" in \
        notes[ID["qingshan"]]
    assert f"{GN}9900012/" in notes[ID["yunhe"]]
    # Only places are looked up in GeoNames: not the bureau, not the base.
    assert set(geonames.names()) == {"Qingshan", "Yunhe"}

    refused = mcfkg("extract", str(article), "--out", str(tmp_path / "refused.trig"), "--link", "--geonames-service",
                    geonames.url, env={**env, "MCFKG_GEONAMES_USERNAME": "demo"})
    assert refused.returncode == 3 and "Traceback" not in refused.stderr
    assert "MCFKG_GEONAMES_USERNAME" in refused.stderr and "Nothing was written" in " ".join(refused.stderr.split())
    assert not (tmp_path / "refused.trig").exists()
    offline = mcfkg("extract", str(article), "--out", str(tmp_path / "offline.trig"), "--link", "--geonames-service",
                    f"http://127.0.0.1:{free_port()}", env=env)
    assert offline.returncode == 3 and "Cannot reach GeoNames service" in " ".join(offline.stderr.split())
    no_link = mcfkg("extract", str(article), "--geonames-service", geonames.url, env=env, cwd=tmp_path)
    assert no_link.returncode == 2 and "only with --link" in no_link.stderr
