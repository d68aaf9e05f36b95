"""What ``mcfkg link propose|verify|accept`` do, with rich output and exit codes.

Exit codes: 0 done; 1 verification found problems; 2 our data or the review file is
unusable; 3 the endpoint could not be used (offline, timeout, not SPARQL). Errors are
printed as one readable message, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from mcfkg.config import Settings
from mcfkg.graph import LoadError
from mcfkg.link.candidates import propose_all
from mcfkg.link.endpoint import EndpointError, SparqlClient
from mcfkg.link.local import curie, entities, load_union
from mcfkg.link.review import ReviewError, append_links, links_dataset, pending, read_decisions, write_review
from mcfkg.link.verify import verify

EXIT_PROBLEMS, EXIT_DATA, EXIT_ENDPOINT = 1, 2, 3


def _out() -> Console:
    return Console()  # made per command so the terminal width (COLUMNS) is read when it runs


def _err() -> Console:
    return Console(stderr=True)


def _client(url: str, settings: Settings) -> SparqlClient:
    return SparqlClient(url, timeout_s=settings.link_timeout_s)


def propose_command(settings: Settings, out: Path, limit: int) -> int:
    """Write candidates for unlinked entities to ``out``; print them ranked."""
    try:
        ours = entities(load_union(settings), settings)
        candidates, without = propose_all(_client(settings.link_endpoint, settings), ours, limit)
    except LoadError as exc:
        _err().print(f"[red]Cannot read our data:[/red] {exc}")
        return EXIT_DATA
    except EndpointError as exc:
        _err().print(f"[red]Endpoint error:[/red] {exc}")
        return EXIT_ENDPOINT
    write_review(candidates, out)
    table = Table(title=f"Candidates from {settings.link_endpoint}")
    for column in ("entity", "candidate", "score", "evidence"):
        table.add_column(column, overflow="fold")
    for c in candidates:
        table.add_row(c.entity.slug, f"{c.item.qid} {c.their_label}", f"{c.score:g}", c.evidence)
    _out().print(table)
    if without:
        _out().print("No candidate for: " + ", ".join(e.slug for e in without))
    _out().print(f"Wrote {len(candidates)} row(s) to {out}: fill the decision column (accept/reject), "
                  f"then run `mcfkg link accept {out}`.")
    return 0


def verify_command(settings: Settings, other_urls: dict[str, str | None]) -> int:
    """Check every link; print every finding; non-zero if any is a problem."""
    try:
        ours = entities(load_union(settings), settings)
        others = {name: _client(url, settings) for name, url in other_urls.items() if url}
        findings = verify(ours, _client(settings.link_endpoint, settings), others)
    except LoadError as exc:
        _err().print(f"[red]Cannot read our data:[/red] {exc}")
        return EXIT_DATA
    except EndpointError as exc:
        _err().print(f"[red]Endpoint error:[/red] {exc}")
        return EXIT_ENDPOINT
    table = Table(title=f"Link verification against {settings.link_endpoint}")
    for column in ("entity", "link", "target", "check", "status", "detail"):
        table.add_column(column, overflow="fold")
    style = {"ok": "green", "problem": "bold red", "note": "yellow", "not checked": "dim"}
    for f in findings:
        table.add_row(f.link.subject.rsplit("/", 1)[-1], curie(f.link.predicate),
                      str(f.link.target), f.check, f"[{style[f.status]}]{f.status}[/]", f.detail)
    _out().print(table)
    problems = sum(f.status == "problem" for f in findings)
    _out().print(f"{len({(f.link.subject, f.link.target) for f in findings})} link(s), {problems} problem(s).")
    return EXIT_PROBLEMS if problems else 0


def accept_command(settings: Settings, review: Path, links_file: Path) -> int:
    """Add the accepted rows of ``review`` to ``links_file`` with provenance."""
    try:
        decisions = read_decisions(review, settings.base_iri)
        ours = entities(load_union(settings), settings)
    except (ReviewError, LoadError) as exc:
        _err().print(f"[red]Cannot accept:[/red] {exc}")
        return EXIT_DATA
    linked = {(str(e.iri), str(link.target)) for e in ours.values() for link in e.links}
    unknown = [d for d in decisions if d.entity not in ours]
    if unknown:
        _err().print(f"[red]Cannot accept:[/red] row {unknown[0].row}: {unknown[0].entity} is not in our data")
        return EXIT_DATA
    new = pending(decisions, linked)
    if new:
        append_links(links_dataset(new, review, settings.link_endpoint, settings.base_iri), links_file)
    _out().print(f"{len(new)} link(s) added to {links_file}; {len(decisions) - len(new)} already present.")
    return 0
