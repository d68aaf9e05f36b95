"""What ``mcfkg link propose|verify|accept`` do, with rich output and exit codes.

Exit codes: 0 done; 1 verification found problems; 2 our data or the review file is
unusable; 3 the endpoint or the GeoNames service could not be used (offline, timeout, not SPARQL,
a GeoNames refusal). Errors are
printed as one readable message, never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ParamSpec

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from mcfkg.config import Settings
from mcfkg.graph import LoadError
from mcfkg.link.candidates import propose_all
from mcfkg.link.endpoint import EndpointError, SparqlClient
from mcfkg.link.geonames import GeoNamesClient, search_url
from mcfkg.link.local import entities, load_union
from mcfkg.link.review import (
    ReviewError,
    append_links,
    existing_links,
    links_dataset,
    read_decisions,
    sort_decisions,
    suggestion,
    write_review,
)
from mcfkg.link.verify import verify
from mcfkg.tables import TextTable, console, print_table
from mcfkg.vocab import Vocab
from mcfkg.web.prefixes import curie

EXIT_PROBLEMS, EXIT_DATA, EXIT_ENDPOINT = 1, 2, 3
P = ParamSpec("P")


def _out() -> Console:
    return console()  # made per command so the terminal width (COLUMNS) is read when it runs


def _err() -> Console:
    return console(stderr=True)


def _client(url: str, settings: Settings) -> SparqlClient:
    return SparqlClient(url, timeout_s=settings.link_timeout_s)


def geonames_client(settings: Settings) -> GeoNamesClient | None:
    """The GeoNames search service to ask for places, or None when no GeoNames username is set."""
    if not settings.geonames_username:
        return None
    return GeoNamesClient(settings.geonames_service, settings.geonames_username, timeout_s=settings.link_timeout_s)


GEONAMES_OFF = ("GeoNames was not asked: set MCFKG_GEONAMES_USERNAME to a GeoNames account "
                "(free at https://www.geonames.org/login) to get GeoNames candidates for places too.")


def _reporting_errors(command: Callable[P, int]) -> Callable[P, int]:
    """Turn the errors a person can fix (our data, the review file, the endpoint) into one line and an exit code."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> int:
        try:
            return command(*args, **kwargs)
        except LoadError as exc:
            _err().print(f"[red]Cannot read our data:[/red] {escape(str(exc))}")
            return EXIT_DATA
        except ReviewError as exc:
            _err().print(f"[red]Cannot accept:[/red] {escape(str(exc))}")
            return EXIT_DATA
        except EndpointError as exc:
            _err().print(f"[red]Endpoint error:[/red] {escape(str(exc))}")
            return EXIT_ENDPOINT

    return run


@_reporting_errors
def propose_command(settings: Settings, out: Path, limit: int) -> int:
    """Write candidates for unlinked entities to ``out``; print them ranked."""
    ours = entities(load_union(settings), settings)
    endpoint = settings.link_endpoint
    geonames = geonames_client(settings)
    candidates, without = propose_all(_client(endpoint, settings), ours, limit, geonames)
    endpoints = {"wikidata": endpoint, "geonames": search_url(settings.geonames_service)}
    write_review(candidates, out, endpoints)
    asked = endpoint + (f" and {settings.geonames_service}" if geonames else "")
    table = TextTable(("entity", "candidate", "score", "evidence", "suggested"), title=f"Candidates from {asked}")
    for c in candidates:
        predicate, advice = suggestion(c)
        table.add_row(c.entity.slug, f"{c.short} {c.their_label}", f"{c.score:g}", c.evidence,
                      f"{predicate}: {advice}" if predicate else advice)
    print_table(table, _out())
    if without:
        _out().print("No candidate for:")
        for entity, reason in without:
            _out().print(f"  {entity.slug}: {escape(reason)}")
    if geonames is None:
        _out().print(GEONAMES_OFF)
    _out().print(f"Wrote {len(candidates)} row(s) from {asked} to {out} (each row records its endpoint, "
                  "and `accept` cites it as the link's source). Fill the decision column (accept/reject; change "
                  f"the predicate if need be), then run `mcfkg link accept {out}`.")
    return 0


@_reporting_errors
def verify_command(settings: Settings, other_urls: Mapping[str, str | None]) -> int:
    """Check every link; print every finding; non-zero if any is a problem."""
    ours = entities(load_union(settings), settings)
    others = {name: _client(url, settings) for name, url in other_urls.items() if url}
    findings = verify(ours, _client(settings.link_endpoint, settings), others)
    table = TextTable(("entity", "link", "target", "check", "status", "detail"),
                      title=f"Link verification against {settings.link_endpoint}")
    style = {"ok": "green", "problem": "bold red", "note": "yellow", "not checked": "dim"}
    vocab = Vocab(settings.base_iri)
    for f in findings:
        table.add_row(f.link.subject.rsplit("/", 1)[-1], curie(str(f.link.predicate), vocab),
                      str(f.link.target), f.check, Text(f.status, style=style[f.status]), f.detail)
    print_table(table, _out())
    problems = sum(f.status == "problem" for f in findings)
    _out().print(f"{len({(f.link.subject, f.link.target) for f in findings})} link(s), {problems} problem(s).")
    return EXIT_PROBLEMS if problems else 0


@_reporting_errors
def accept_command(settings: Settings, review: Path, links_file: Path) -> int:
    """Add the accepted rows of ``review`` to ``links_file``, citing the endpoint each row came from."""
    decisions = read_decisions(review, settings.base_iri)
    ours = entities(load_union(settings), settings)
    unknown = next((d for d in decisions if d.entity not in ours), None)
    if unknown is not None:
        raise ReviewError(f"{review}:{unknown.row}: {unknown.entity} is not in our data")
    new, present = sort_decisions(decisions, existing_links(links_file), review, settings.base_iri)
    if new:
        append_links(links_dataset(new, review, settings.base_iri), links_file)
    _out().print(f"{len(new)} link(s) added to {links_file}; {present} already present.")
    return 0
