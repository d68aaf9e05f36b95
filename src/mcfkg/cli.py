"""The ``mcfkg`` command line. Thin: each command parses flags and calls one module."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mcfkg.config import Settings

app = typer.Typer(no_args_is_help=True, help="mcfkg: the military-civil fusion knowledge graph.")


@app.callback()
def main() -> None:
    """Build, validate, query, serve and link the MCF knowledge graph."""


# Commands are added below, one function each: build, validate, query, export, serve, link.


link_app = typer.Typer(no_args_is_help=True, help="Find, check and accept links to Wikidata, GeoNames and DBpedia.")
app.add_typer(link_app, name="link")


@link_app.command("propose")
def link_propose(
    endpoint: str = typer.Option(None, help="Wikidata-shaped SPARQL endpoint (default: Settings.link_endpoint)."),
    out: Path = typer.Option(Path("review.csv"), help="Review file to write (CSV with an empty decision column)."),
    limit: int = typer.Option(5, min=1, help="Candidates per entity."),
) -> None:
    """Propose Wikidata candidates for entities without a Wikidata link, for a person to review."""
    from mcfkg.link.commands import propose_command

    raise typer.Exit(propose_command(Settings.from_env(link_endpoint=endpoint), out, limit))


@link_app.command("verify")
def link_verify(
    endpoint: str = typer.Option(None, help="Wikidata-shaped SPARQL endpoint (default: Settings.link_endpoint)."),
    geonames_endpoint: str = typer.Option(None, help="SPARQL endpoint with GeoNames data, to check GeoNames links."),
    dbpedia_endpoint: str = typer.Option(None, help="SPARQL endpoint with DBpedia data, to check DBpedia links."),
) -> None:
    """Check every published link: target exists, not a redirect, labels and type agree. Exit 1 on any problem."""
    from mcfkg.link.commands import verify_command

    others = {"geonames": geonames_endpoint, "dbpedia": dbpedia_endpoint}
    raise typer.Exit(verify_command(Settings.from_env(link_endpoint=endpoint), others))


@link_app.command("accept")
def link_accept(
    review: Path = typer.Argument(..., help="Review file written by `mcfkg link propose`, decisions filled in."),
    links_file: Path = typer.Option(None, "--links", help="TriG file to add the links to (default: data/links.trig)."),
    endpoint: str = typer.Option(None, help="Endpoint the candidates came from, recorded as provenance."),
) -> None:
    """Turn the accepted rows of a review file into links with provenance in the links graph."""
    from mcfkg.link.commands import accept_command

    settings = Settings.from_env(link_endpoint=endpoint)
    raise typer.Exit(accept_command(settings, review, links_file or settings.data_dir / "links.trig"))


# --- pipeline: build, validate, query, export (modules: build, graph, reason, validate, query, export) ---


class ReportFormat(str, Enum):
    text = "text"
    turtle = "turtle"


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    turtle = "turtle"
    ntriples = "ntriples"


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nt = "nt"
    nquads = "nquads"
    jsonld = "jsonld"
    xml = "xml"


def _fail(message: str, code: int) -> NoReturn:
    """Print an error (no traceback, no rich markup in user data) and exit with ``code``."""
    Console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


@app.command("build")
def build_command(
    dist: Optional[Path] = typer.Option(None, "--dist", help="Output directory (default: dist/)."),
    base_iri: Optional[str] = typer.Option(None, "--base-iri", help="Publish under this base instead of https://w3id.org/mcfkg/."),
) -> None:
    """Load, reason, validate and write every format plus VoID to dist/. Writes nothing on any error."""
    from mcfkg.build import BuildFailed, build
    from mcfkg.graph import LoadError

    console = Console()
    try:
        result = build(Settings.from_env(dist_dir=dist, base_iri=base_iri))
    except LoadError as exc:
        _fail(f"{exc}\nFix the file and run `mcfkg build` again; nothing was written.", 2)
    except BuildFailed as exc:
        Console(stderr=True).print(exc.report.as_table())
        _fail(str(exc), 1)
    summary = Table(title="mcfkg build", show_header=False)
    summary.add_row("asserted triples (summed over graphs)", str(result.asserted))
    summary.add_row("inferred triples", str(result.inferred))
    summary.add_row("named graphs", str(len(result.graphs)))
    for stage, seconds in result.seconds.items():
        summary.add_row(f"{stage} (s)", f"{seconds:.2f}")
    for path in result.files:
        summary.add_row("wrote", str(path))
    console.print(summary)
    if result.report.results:
        console.print(result.report.as_table())


@app.command("validate")
def validate_command(
    files: Optional[list[Path]] = typer.Argument(None, help="RDF files (ttl, trig, nt, nq, jsonld, rdf/owl/xml); default: the shipped data."),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", help="text: a readable table; turtle: the SHACL report graph."),
) -> None:
    """Validate data against the SHACL shapes. Exit 0 if it conforms, 1 on violations, 2 on unreadable input."""
    from mcfkg.build import load_and_reason, load_shapes
    from mcfkg.graph import LoadError, load_dataset, union_graph
    from mcfkg.reason import infer
    from mcfkg.validate import validate
    from mcfkg.vocab import Vocab

    settings = Settings.from_env()
    try:
        if files:
            # The ontology is loaded with the files so class hierarchies and inverses apply as in a build.
            ds = load_dataset([settings.ontology_dir / "mcf.ttl", *files], settings.base_iri)
            infer(ds, Vocab(settings.base_iri))
        else:
            ds = load_and_reason(settings)
        report = validate(union_graph(ds), load_shapes(settings))
    except LoadError as exc:
        _fail(str(exc), 2)
    verdict = "Conforms." if report.conforms else "Does not conform."
    if fmt is ReportFormat.turtle:  # only the report graph on stdout, so it can be piped to a parser
        typer.echo(report.graph.serialize(format="turtle"))
        typer.echo(verdict, err=True)
    else:
        if report.results:
            Console().print(report.as_table())
        typer.echo(verdict)
    raise typer.Exit(0 if report.conforms else 1)


@app.command("query")
def query_command(
    sparql: Optional[str] = typer.Argument(None, help="A SPARQL query (or use --file)."),
    file: Optional[Path] = typer.Option(None, "--file", "-f", help="Read the query from this .rq file."),
    fmt: QueryFormat = typer.Option(QueryFormat.table, "--format", help="SELECT/ASK: table|json|csv|tsv; CONSTRUCT/DESCRIBE: turtle|ntriples."),
) -> None:
    """Run a read-only SPARQL query on the reasoned graph (built from source in memory; union default graph)."""
    from mcfkg.build import load_and_reason
    from mcfkg.graph import LoadError
    from mcfkg.query import QueryRefused, parse, run, to_tsv

    if (sparql is None) == (file is None):
        _fail("give a query or --file Q.rq (exactly one)", 2)
    try:
        text = file.read_text(encoding="utf-8") if file is not None else sparql
        parse(text)  # a syntax error is reported before the load; prefixes and policy are checked by run()
    except OSError as exc:
        _fail(f"cannot read {file}: {exc.strerror}", 2)
    except QueryRefused as exc:
        _fail(str(exc), 2)
    try:
        ds = load_and_reason(Settings.from_env())
        answer = run(ds, text)
    except (LoadError, QueryRefused) as exc:
        _fail(str(exc), 2)
    if answer.kind in ("CONSTRUCT", "DESCRIBE"):
        if fmt not in (QueryFormat.table, QueryFormat.turtle, QueryFormat.ntriples):
            _fail(f"{answer.kind} returns a graph: use --format turtle or ntriples", 2)
        typer.echo(answer.result.graph.serialize(format="nt" if fmt is QueryFormat.ntriples else "turtle"))
    elif fmt in (QueryFormat.turtle, QueryFormat.ntriples):
        _fail(f"{answer.kind} returns solutions: use --format table, json, csv or tsv", 2)
    elif fmt is QueryFormat.tsv:
        typer.echo(to_tsv(answer.result), nl=False)
    elif fmt is not QueryFormat.table:
        typer.echo(answer.result.serialize(format=fmt.value).decode("utf-8"), nl=False)
    elif answer.kind == "ASK":
        typer.echo("true" if answer.result.askAnswer else "false")
    else:
        Console().print(_solutions_table(answer.result, ds))


def _solutions_table(result, ds) -> Table:
    """SELECT solutions as a rich table, IRIs shortened with the data's prefixes."""
    table = Table(caption=f"{len(result)} row(s)")
    for var in result.vars:
        table.add_column(f"?{var}", overflow="fold")
    for row in result:
        table.add_row(*(escape(_cell(value, ds)) for value in row))
    return table


def _cell(value, ds) -> str:
    from rdflib import URIRef

    if value is None:
        return ""
    if isinstance(value, URIRef):
        try:
            return ds.namespace_manager.normalizeUri(value)
        except Exception:  # noqa: BLE001 - no prefix: show the whole IRI
            return f"<{value}>"
    return str(value)


@app.command("export")
def export_command(
    fmt: ExportFormat = typer.Option(..., "--format", help="RDF format to write."),
    out: Optional[Path] = typer.Option(None, "--out", help="Write here instead of standard output."),
) -> None:
    """Write the reasoned graph (asserted + inferred) in one format; quad formats keep the named graphs."""
    from mcfkg.build import load_and_reason, load_context
    from mcfkg.export import export
    from mcfkg.graph import LoadError

    settings = Settings.from_env()
    try:
        data = export(load_and_reason(settings), fmt.value, load_context(settings))
    except LoadError as exc:
        _fail(str(exc), 2)
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        out.write_bytes(data)


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 to expose it)."),
    port: int = typer.Option(8000, help="TCP port."),
    store: Optional[Path] = typer.Option(None, "--store", help="Persistent on-disk store directory (default: in memory)."),
    data: Optional[list[str]] = typer.Option(None, "--data", help="Serve these RDF files instead of dist/: FILE or FILE::GRAPH_IRI; repeatable."),
    base_iri: Optional[str] = typer.Option(None, "--base-iri", help="Base IRI of the build (used when building dist/)."),
    update_token: Optional[str] = typer.Option(None, "--update-token", envvar="MCFKG_UPDATE_TOKEN", help="Enable SPARQL Update and graph store writes for 'Authorization: Bearer <token>'."),
    allow_service: Optional[list[str]] = typer.Option(None, "--allow-service", help="A SERVICE endpoint queries may call; repeatable (default: none)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", help="Per-query time limit in seconds (default 30)."),
    workers: Optional[int] = typer.Option(None, "--workers", help="Query worker processes (default 2)."),
) -> None:
    """Serve the SPARQL 1.1 endpoint (/sparql), graph store, pages and query UI."""
    from mcfkg.build import BuildFailed
    from mcfkg.graph import LoadError
    from mcfkg.sparql.model import StoreUnavailable
    from mcfkg.web.server import serve

    settings = Settings.from_env(store_path=store, base_iri=base_iri, update_token=update_token,
                                 service_allowlist=tuple(allow_service) if allow_service else None,
                                 query_timeout_s=timeout, query_workers=workers)
    try:
        serve(settings, host, port, data or ())
    except (FileNotFoundError, StoreUnavailable, LoadError, BuildFailed) as exc:
        _fail(f"{exc}\nNothing is being served.", 2)
