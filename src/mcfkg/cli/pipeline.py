"""build, validate, query, export and serve (modules: build, graph, reason, validate, query, export, web.server)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from mcfkg.cli.common import EXIT_TIMEOUT, app, fail, settings_or_exit
from mcfkg.config import Settings
from mcfkg.formats import GRAPH, UnknownFormat, by_name, resolve
from mcfkg.tables import TextTable, console, print_table
from mcfkg.vocab import BASE_IRI_EXAMPLE, CANONICAL_BASE

# --- pipeline: build, validate, query, export (modules: build, graph, reason, validate, query, export) ---


def _rdf_format(value: str) -> str:
    """A usage error (exit 2) listing every accepted name, for an RDF format name that is not one."""
    try:
        return resolve(value, {GRAPH}, "--format").name
    except UnknownFormat as exc:
        raise typer.BadParameter(str(exc)) from None


def _report_format(value: str) -> str:
    """``text`` (a table for people) or an RDF format name for the SHACL report graph."""
    return "text" if value.strip().lower() == "text" else _rdf_format(value)


def _query_format(value: str) -> str:
    """``table`` or a results or RDF format name; a usage error listing them otherwise."""
    from mcfkg.query import format_name  # the query path is imported only when a query runs

    try:
        return format_name(value)
    except UnknownFormat as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command("build")
def build_command(
    dist: Annotated[Optional[Path], typer.Option("--dist", metavar="DIR", help="Output directory (default: dist/).")] = None,
    base_iri: Annotated[
        Optional[str],
        typer.Option("--base-iri", metavar="IRI", help=f"Publish under this base instead of {CANONICAL_BASE}: an "
                     f"absolute http(s) IRI ending in / or #, e.g. {BASE_IRI_EXAMPLE}."),
    ] = None,
) -> None:
    """Load, reason, validate and write every format plus VoID to dist/. Writes nothing on any error."""
    from mcfkg.build import BuildFailed, build
    from mcfkg.graph import LoadError
    from mcfkg.sources.lock import one_writer

    settings = settings_or_exit(dist_dir=dist, base_iri=base_iri)
    try:
        with one_writer(settings):
            result = build(settings)
    except LoadError as exc:
        fail(f"{exc}\nFix the file and run `mcfkg build` again; nothing was written.")
    except BuildFailed as exc:
        print_table(exc.report.as_table(), console(stderr=True))
        fail(str(exc), 1)
    except OSError as exc:
        fail(f"cannot write {settings.dist_dir}: {exc.strerror or exc}; choose another directory with --dist.")
    summary = TextTable(("what", "value"), title="mcfkg build", show_header=False)
    summary.add_row("asserted triples (summed over graphs)", str(result.asserted))
    summary.add_row("inferred triples", str(result.inferred))
    summary.add_row("named graphs", str(len(result.graphs)))
    for stage, seconds in result.seconds.items():
        summary.add_row(f"{stage} (s)", f"{seconds:.2f}")
    for path in result.files:
        summary.add_row("wrote", str(path))
    print_table(summary, console())
    if result.report.results:
        print_table(result.report.as_table(), console())


@app.command("validate")
def validate_command(
    files: Annotated[
        Optional[list[Path]],
        typer.Argument(metavar="FILE...", help="RDF files (ttl, trig, nt, nq, jsonld, rdf/owl/xml); default: the shipped data."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", callback=_report_format,
                          help="text: a readable table; or an RDF format (turtle, ttl, nt, jsonld, ...): the SHACL "
                               "report graph."),
    ] = "text",
) -> None:
    """Validate data against the SHACL shapes. Exit 0 if it conforms, 1 on violations, 2 on unreadable input."""
    from mcfkg.build import validate_dataset
    from mcfkg.graph import LoadError, load_dataset, source_files

    settings = settings_or_exit()
    try:
        # Given files are read with the ontology, so class hierarchies and inverses apply as in a build.
        paths = [settings.ontology_dir / "mcf.ttl", *files] if files else source_files(settings)
        report = validate_dataset(load_dataset(paths, settings.base_iri), settings)
    except LoadError as exc:
        fail(str(exc))
    verdict = "Conforms." if report.conforms else "Does not conform."
    if fmt != "text":  # only the report graph on stdout, so it can be piped to a parser
        from mcfkg.export import serialise_graph

        sys.stdout.buffer.write(serialise_graph(report.graph, by_name(fmt)))
        sys.stdout.flush()
        typer.echo(verdict, err=True)
    else:
        if report.results:
            print_table(report.as_table(), console())
        typer.echo(verdict)
    raise typer.Exit(0 if report.conforms else 1)


@app.command("query")
def query_command(
    sparql: Annotated[Optional[str], typer.Argument(metavar="QUERY", help="A SPARQL query (or use --file).")] = None,
    file: Annotated[
        Optional[Path], typer.Option("--file", "-f", metavar="FILE", help="Read the query from this .rq file.")
    ] = None,
    fmt: Annotated[
        str,
        typer.Option("--format", metavar="FORMAT", callback=_query_format,
                     help="table (a readable table; ASK: true/false; CONSTRUCT/DESCRIBE: Turtle), or SELECT/ASK: "
                          "json|xml|csv|tsv, CONSTRUCT/DESCRIBE: turtle|ntriples|jsonld|rdfxml|trig|nquads|n3 "
                          "(also ttl, nt, nq, json-ld, rdf, ...)."),
    ] = "table",
    timeout: Annotated[
        Optional[float],
        typer.Option("--timeout", metavar="SECONDS", min=0.001,
                     help=f"Stop the query after SECONDS, exit {EXIT_TIMEOUT} "
                          f"(default: MCFKG_QUERY_TIMEOUT_S, else {Settings.query_timeout_s:g})."),
    ] = None,
) -> None:
    """Run a read-only SPARQL query on the build in dist/ (rebuilt first if stale), exactly as the server's /sparql does."""
    from mcfkg.build import BuildFailed
    from mcfkg.graph import LoadError
    from mcfkg.query import TABLE, run_limited
    from mcfkg.sparql.model import QueryError, QueryTimeout, ResultTooLarge, StoreUnavailable
    from mcfkg.sparql.negotiation import NotAcceptable
    from mcfkg.sparql.safety import UnsafeOperation

    if sparql is not None and file is None:
        text = sparql
    elif file is not None and sparql is None:
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            fail(f"cannot read {file}: {exc.strerror or exc}")
    else:
        fail("give a query or --file Q.rq (exactly one)")
    settings = settings_or_exit(query_timeout_s=timeout)
    try:
        answer = run_limited(settings, text, fmt, settings.query_timeout_s, _note)
    except (QueryError, UnsafeOperation, NotAcceptable) as exc:
        fail(str(exc))
    except QueryTimeout as exc:
        fail(str(exc), EXIT_TIMEOUT)
    except (ResultTooLarge, StoreUnavailable) as exc:
        fail(str(exc), 1)
    except (LoadError, BuildFailed) as exc:
        fail(f"{exc}\nThe build the query needs failed; run `mcfkg build` for the details.")
    except OSError as exc:
        fail(f"cannot write {settings.dist_dir}: {exc.strerror or exc}; choose another directory with MCFKG_DIST_DIR.")
    if fmt == TABLE and answer.columns:
        print_table(TextTable(answer.columns, [*answer.rows], caption=f"{len(answer.rows)} row(s)"), console())
    else:
        sys.stdout.buffer.write(answer.body)
        sys.stdout.flush()


def _note(message: str) -> None:
    """A remark on stderr (stdout stays the answer alone, for pipes)."""
    console(stderr=True).print(f"[dim]note:[/] {escape(message)}")


@app.command("export")
def export_command(
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", callback=_rdf_format,
                          help="turtle, ntriples, jsonld, rdfxml, trig, nquads or n3 (also ttl, nt, nq, json-ld, rdf, ...).")
    ],
    out: Annotated[
        Optional[Path], typer.Option("--out", metavar="FILE", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Write the reasoned graph (asserted + inferred) in one format; quad formats keep the named graphs."""
    from mcfkg.build import load_and_reason, load_context
    from mcfkg.export import export
    from mcfkg.graph import LoadError

    settings = settings_or_exit()
    try:
        data = export(load_and_reason(settings), fmt, load_context(settings))
    except LoadError as exc:
        fail(str(exc))
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(metavar="HOST", help="Interface to listen on (0.0.0.0 to expose it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="TCP port.")] = 8000,
    store: Annotated[
        Optional[str],
        typer.Option("--store", metavar="DIR|sparql+http://QUERY[,UPDATE]",
                     help="Persistent on-disk store directory, or a remote SPARQL 1.1 store (sparql+http:// or "
                     "sparql+https://; account from MCFKG_STORE_USER, MCFKG_STORE_PASSWORD, MCFKG_STORE_AUTH) "
                     "(default: in memory)."),
    ] = None,
    data: Annotated[
        Optional[list[str]],
        typer.Option("--data", metavar="FILE[::GRAPH]",
                     help="Serve these RDF files instead of dist/: FILE or FILE::GRAPH_IRI; repeatable."),
    ] = None,
    base_iri: Annotated[
        Optional[str],
        typer.Option("--base-iri", metavar="IRI", help=f"Serve under this base (e.g. {BASE_IRI_EXAMPLE}); a dist/ "
                     "built for another base is rebuilt first."),
    ] = None,
    update_token: Annotated[
        Optional[str],
        typer.Option(
            "--update-token",
            metavar="TOKEN",
            envvar="MCFKG_UPDATE_TOKEN",
            help="Enable SPARQL Update and graph store writes for 'Authorization: Bearer TOKEN'.",
        ),
    ] = None,
    allow_service: Annotated[
        Optional[list[str]],
        typer.Option("--allow-service", metavar="URL",
                     help="A SERVICE endpoint queries may call; repeatable (default: none)."),
    ] = None,
    timeout: Annotated[
        Optional[float],
        typer.Option("--timeout", metavar="SECONDS", help="Per-query time limit in seconds (default 30)."),
    ] = None,
    workers: Annotated[
        Optional[int], typer.Option("--workers", metavar="N", help="Query worker processes (default 2).")
    ] = None,
) -> None:
    """Serve the SPARQL 1.1 endpoint (/sparql), graph store, pages and query UI."""
    from mcfkg.build import BuildFailed
    from mcfkg.graph import LoadError
    from mcfkg.remote.factory import store_settings
    from mcfkg.sparql.model import StoreUnavailable
    from mcfkg.web.server import serve

    try:
        where = store_settings(store)
    except ValueError as exc:
        fail(str(exc))
    settings = settings_or_exit(
        **where,
        base_iri=base_iri,
        update_token=update_token,
        service_allowlist=tuple(allow_service) if allow_service else None,
        query_timeout_s=timeout,
        query_workers=workers,
    )
    try:
        serve(settings, host, port, data or ())
    except (OSError, StoreUnavailable, LoadError, BuildFailed) as exc:  # OSError: e.g. a dist/ it cannot (re)build
        fail(f"{exc}\nNothing is being served.")


