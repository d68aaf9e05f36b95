"""The ``mcfkg`` command line. Thin: each command parses flags and calls one module.

Every error a user can fix (a bad file, a malformed query, a wrong ``MCFKG_*`` value, an
unwritable output path) is printed as one line on stderr with a non-zero exit code, never as
a traceback; exit code 2 means "the input was unusable".
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
from rich.markup import escape

from mcfkg.cli_help import App
from mcfkg.config import Settings, SettingsError
from mcfkg.formats import GRAPH, UnknownFormat, by_name, resolve
from mcfkg.tables import TextTable, console, print_table
from mcfkg.vocab import BASE_IRI_EXAMPLE, CANONICAL_BASE

app = App(
    no_args_is_help=True,
    help="mcfkg: the military-civil fusion knowledge graph. "
    "Settings not given as flags come from MCFKG_* environment variables (e.g. MCFKG_BASE_IRI, MCFKG_DIST_DIR).",
)
link_app = App(no_args_is_help=True, help="Find, check and accept links to Wikidata, GeoNames and DBpedia.")
app.add_typer(link_app, name="link")

EXIT_UNUSABLE = 2
EXIT_TIMEOUT = 124  # as timeout(1): the time limit stopped the command
ENDPOINT_HELP = f"Wikidata-shaped SPARQL endpoint (default: MCFKG_LINK_ENDPOINT, else {Settings.link_endpoint})."


def _fail(message: str, code: int = EXIT_UNUSABLE) -> NoReturn:
    """Print an error (no traceback, no rich markup in user data) and exit with ``code``."""
    console(stderr=True).print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def _settings(**overrides: object) -> Settings:
    """Settings from the environment and the command's flags; a wrong ``MCFKG_*`` value ends the command."""
    try:
        return Settings.from_env(**overrides)
    except SettingsError as exc:
        _fail(str(exc))


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

    settings = _settings(dist_dir=dist, base_iri=base_iri)
    try:
        with one_writer(settings):
            result = build(settings)
    except LoadError as exc:
        _fail(f"{exc}\nFix the file and run `mcfkg build` again; nothing was written.")
    except BuildFailed as exc:
        print_table(exc.report.as_table(), console(stderr=True))
        _fail(str(exc), 1)
    except OSError as exc:
        _fail(f"cannot write {settings.dist_dir}: {exc.strerror or exc}; choose another directory with --dist.")
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

    settings = _settings()
    try:
        # Given files are read with the ontology, so class hierarchies and inverses apply as in a build.
        paths = [settings.ontology_dir / "mcf.ttl", *files] if files else source_files(settings)
        report = validate_dataset(load_dataset(paths, settings.base_iri), settings)
    except LoadError as exc:
        _fail(str(exc))
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
            _fail(f"cannot read {file}: {exc.strerror or exc}")
    else:
        _fail("give a query or --file Q.rq (exactly one)")
    settings = _settings(query_timeout_s=timeout)
    try:
        answer = run_limited(settings, text, fmt, settings.query_timeout_s, _note)
    except (QueryError, UnsafeOperation, NotAcceptable) as exc:
        _fail(str(exc))
    except QueryTimeout as exc:
        _fail(str(exc), EXIT_TIMEOUT)
    except (ResultTooLarge, StoreUnavailable) as exc:
        _fail(str(exc), 1)
    except (LoadError, BuildFailed) as exc:
        _fail(f"{exc}\nThe build the query needs failed; run `mcfkg build` for the details.")
    except OSError as exc:
        _fail(f"cannot write {settings.dist_dir}: {exc.strerror or exc}; choose another directory with MCFKG_DIST_DIR.")
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

    settings = _settings()
    try:
        data = export(load_and_reason(settings), fmt, load_context(settings))
    except LoadError as exc:
        _fail(str(exc))
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        _fail(f"cannot write {out}: {exc.strerror or exc}")


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
    from mcfkg.sparql.model import StoreUnavailable
    from mcfkg.remote.factory import store_settings
    from mcfkg.web.server import serve

    try:
        where = store_settings(store)
    except ValueError as exc:
        _fail(str(exc))
    settings = _settings(
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
        _fail(f"{exc}\nNothing is being served.")


# --- link: propose, verify, accept (module: link.commands, which prints and returns the exit code) ---


def _endpoint_url(value: Optional[str]) -> Optional[str]:
    """A usage error (exit 2) for an endpoint flag that is not an absolute http(s) URL, before any request."""
    from mcfkg.link.endpoint import url_problem

    problem = None if value is None else url_problem(value)
    if problem:
        raise typer.BadParameter(problem)
    return value


def _geonames_url(value: Optional[str]) -> Optional[str]:
    """A usage error (exit 2) for a --geonames-service that is not the base URL of a GeoNames service."""
    from mcfkg.link.geonames import service_problem

    problem = None if value is None else service_problem(value)
    if problem:
        raise typer.BadParameter(problem)
    return value


def _link_settings(endpoint: Optional[str], geonames_service: Optional[str] = None) -> Settings:
    """Settings for `link propose|verify` and `extract --link`; an MCFKG_LINK_ENDPOINT or MCFKG_GEONAMES_SERVICE
    that is not an http(s) URL ends the command."""
    from mcfkg.link.endpoint import url_problem
    from mcfkg.link.geonames import service_problem

    settings = _settings(link_endpoint=endpoint, geonames_service=geonames_service)
    problem = url_problem(settings.link_endpoint)
    if problem:
        _fail(f"MCFKG_LINK_ENDPOINT {problem}")
    problem = service_problem(settings.geonames_service)
    if problem:
        _fail(f"MCFKG_GEONAMES_SERVICE {problem}")
    return settings


GEONAMES_HELP = ("GeoNames search service to ask for places (default: MCFKG_GEONAMES_SERVICE, else "
                 f"{Settings.geonames_service}); asked only when MCFKG_GEONAMES_USERNAME is set.")


@link_app.command("propose")
def link_propose(
    endpoint: Annotated[Optional[str], typer.Option(metavar="URL", help=ENDPOINT_HELP, callback=_endpoint_url)] = None,
    out: Annotated[
        Path, typer.Option(metavar="FILE", help="Review file to write (CSV with an empty decision column).")
    ] = Path("review.csv"),
    limit: Annotated[int, typer.Option(metavar="N", min=1, help="Candidates per entity.")] = 5,
    geonames_service: Annotated[
        Optional[str], typer.Option(metavar="URL", help=GEONAMES_HELP, callback=_geonames_url)
    ] = None,
) -> None:
    """Propose Wikidata candidates for entities without a Wikidata link, and GeoNames candidates for places without
    a GeoNames link (when MCFKG_GEONAMES_USERNAME is set), for a person to review."""
    from mcfkg.link.commands import propose_command

    raise typer.Exit(propose_command(_link_settings(endpoint, geonames_service), out, limit))


@link_app.command("verify")
def link_verify(
    endpoint: Annotated[Optional[str], typer.Option(metavar="URL", help=ENDPOINT_HELP, callback=_endpoint_url)] = None,
    geonames_endpoint: Annotated[
        Optional[str],
        typer.Option(metavar="URL", help="SPARQL endpoint with GeoNames data, to check GeoNames links.",
                     callback=_endpoint_url),
    ] = None,
    dbpedia_endpoint: Annotated[
        Optional[str],
        typer.Option(metavar="URL", help="SPARQL endpoint with DBpedia data, to check DBpedia links.",
                     callback=_endpoint_url),
    ] = None,
) -> None:
    """Check every published link: target exists, not a redirect, labels and type agree. Exit 1 on any problem."""
    from mcfkg.link.commands import verify_command

    others = {"geonames": geonames_endpoint, "dbpedia": dbpedia_endpoint}
    raise typer.Exit(verify_command(_link_settings(endpoint), others))


@link_app.command("accept")
def link_accept(
    review: Annotated[
        Path, typer.Argument(metavar="REVIEW", help="Review file written by `mcfkg link propose`, decisions filled in.")
    ],
    links_file: Annotated[
        Optional[Path],
        typer.Option("--links", metavar="FILE", help="TriG file to add the links to (default: data/links.trig)."),
    ] = None,
) -> None:
    """Turn the accepted rows of a review file into links in the links graph, citing each row's endpoint."""
    from mcfkg.link.commands import accept_command

    settings = _settings()
    raise typer.Exit(accept_command(settings, review, links_file or settings.data_dir / "links.trig"))


# --- extract: a new article to candidate facts in a review file (module: extract.commands) ---


@app.command("extract")
def extract_command(
    article: Annotated[Path, typer.Argument(metavar="ARTICLE", help="The article: plain text (UTF-8) or a saved "
                                            "HTML page (.html, .htm).")],
    out: Annotated[
        Optional[Path],
        typer.Option("--out", metavar="REVIEW.trig", help="Review file to write (default: ID.review.trig here); "
                     "tables REVIEW.md and REVIEW.csv go beside it."),
    ] = None,
    url: Annotated[Optional[str], typer.Option("--url", metavar="URL", help="Where the article was published.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", metavar="TITLE", help="Its title (default: the headline).")]
    = None,
    published: Annotated[
        Optional[str],
        typer.Option("--published", metavar="YYYY-MM-DD", help="Its publication date: relative dates ('On April 18') "
                     "are resolved against it. Never guessed."),
    ] = None,
    publisher: Annotated[
        Optional[str],
        typer.Option("--publisher", metavar="IRI|mcfid:x", help="The organisation that published it."),
    ] = None,
    source_id: Annotated[
        Optional[str], typer.Option("--id", metavar="SOURCE-ID", help="The source's id (default: from the file name).")
    ] = None,
    link: Annotated[bool, typer.Option("--link", help="Ask the Wikidata endpoint of `mcfkg link` "
                                       "(MCFKG_LINK_ENDPOINT) for candidates of new names, and GeoNames for new "
                                       "places when MCFKG_GEONAMES_USERNAME is set; off by default (offline).")]
    = False,
    geonames_service: Annotated[
        Optional[str], typer.Option(metavar="URL", help=GEONAMES_HELP + " Only with --link.", callback=_geonames_url)
    ] = None,
) -> None:
    """Propose candidate facts from ARTICLE: names resolved to the graph's entities, new ones, amounts, counts,
    dates and relations, each with its sentence, words and rule, in a review file for `mcfkg review`."""
    from mcfkg.extract.commands import extract_command as run

    if geonames_service and not link:
        _fail("--geonames-service is asked only with --link: add --link, or leave it out")
    settings = _link_settings(None, geonames_service) if link else _settings()
    raise typer.Exit(run(settings, article, out, url, title, published, publisher, link, source_id))


# --- dump and restore: the whole on-disk store (module: backup) ---


def _on_disk(store: Path) -> None:
    """dump and restore read and write an on-disk store: a remote one is refused with what to use instead."""
    from mcfkg.remote.client import is_remote

    if is_remote(str(store)):
        _fail(f"--store {store}: a remote store is backed up and restored with its own tools (Virtuoso: "
              "backup_online and the bulk loader; Oxigraph server: oxigraph dump / oxigraph load); mcfkg dump and "
              "restore work on an on-disk store directory")


@app.command("dump")
def dump_command(
    out: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write: .nq or .trig, optionally .gz.")],
    store: Annotated[Path, typer.Option("--store", metavar="DIR", help="The on-disk store (as for `mcfkg serve`).")]
    = Path("var/store"),
) -> None:
    """Write every quad of an on-disk store (all sources' graphs, provenance, inferences, HTTP writes) to FILE."""
    from mcfkg.backup import BackupError, dump

    _on_disk(store)
    try:
        count = dump(store, out)
    except BackupError as exc:
        _fail(str(exc))
    console().print(f"wrote {count} quads of {store} to {out}")


@app.command("restore")
def restore_command(
    dump_file: Annotated[Path, typer.Argument(metavar="FILE", help="A dump written by `mcfkg dump`.")],
    store: Annotated[Path, typer.Option("--store", metavar="DIR", help="The on-disk store to create.")]
    = Path("var/store"),
    replace: Annotated[bool, typer.Option("--replace", help="Replace a store that is already there.")] = False,
) -> None:
    """Restore an on-disk store from FILE, and write back the sources data/sources/ lacks."""
    from mcfkg.backup import BackupError, restore

    _on_disk(store)
    try:
        count, written = restore(_settings(), dump_file, store, replace)
    except BackupError as exc:
        _fail(str(exc))
    console().print(f"restored {count} quads into {store}")
    for path in written:
        console().print(f"wrote back {path}")
    if written:
        console().print("run `mcfkg build` (or `mcfkg serve`, which builds first) to rebuild dist/ with them")


# --- sources: list, ingest, retract (module: sources.commands, which prints and returns the exit code) ---


@app.command("sources")
def sources_command() -> None:
    """List every source of the built graph: metadata, how its date was established, fact and entity counts."""
    from mcfkg.sources.commands import sources_command as run

    raise typer.Exit(run(_settings()))


@app.command("ingest")
def ingest_command(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="One source as TriG, Turtle, N-Quads or JSON-LD "
                                         "(format from the extension), in the project's conventions; or a CSV "
                                         "file with its CSVW mapping FILE-metadata.json beside it (or that mapping).")],
    same_as: Annotated[
        Optional[list[str]],
        typer.Option("--same-as", metavar="NEW=EXISTING", help="A new entity of the source is this existing one: "
                     "rewrite it to the existing IRI; repeatable."),
    ] = None,
    distinct: Annotated[
        Optional[list[str]],
        typer.Option("--distinct", metavar="NEW", help="A new entity whose name matches an existing one is a "
                     "different thing: keep its IRI; repeatable."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object.")] = False,
) -> None:
    """Add a source as data/sources/ID.trig once it conforms with the whole graph, then rebuild dist/."""
    from mcfkg.sources.commands import ingest_command as run

    raise typer.Exit(run(_settings(), file, same_as or [], distinct or [], as_json))


@app.command("retract")
def retract_command(
    source: Annotated[str, typer.Argument(metavar="SOURCE", help="The source's IRI, mcfid:ID or ID.")],
    force: Annotated[bool, typer.Option("--force", help="Also retract a shipped source (a file in data/ itself).")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object.")] = False,
) -> None:
    """Remove a source (its file in data/sources/) and rebuild dist/, if the graph without it still conforms."""
    from mcfkg.sources.commands import retract_command as run

    raise typer.Exit(run(_settings(), source, force, as_json))


# --- review: the candidates `mcfkg extract` wrote, accepted, rejected, edited, checked and ingested
# (module: extract.review_commands, which prints and returns the exit code) ---

review_app = App(no_args_is_help=True, invoke_without_command=True,
                 help="Review the candidate facts of a review file (written by `mcfkg extract`): "
                      "mcfkg review REVIEW.trig list|accept|reject|edit|check|ingest. Without a command: list.")
app.add_typer(review_app, name="review")
REVIEW_IDS_HELP = "Candidates as `list` shows them (p1/s2/c1, or the graph IRI), or `all`."
KIND_HELP = "Only candidates of this kind (entity, amount, count, percentage, area, date, relation)."
# Arguments several review commands share.
ReviewIds = Annotated[Optional[list[str]], typer.Argument(metavar="IDS...", help=REVIEW_IDS_HELP)]
KindOption = Annotated[Optional[str], typer.Option(metavar="KIND", help=KIND_HELP)]
MinConfidence = Annotated[Optional[float], typer.Option(metavar="X", help="Only those at least X sure (0-1).")]


@review_app.callback()
def review_group(
    ctx: typer.Context,
    review: Annotated[Path, typer.Argument(metavar="REVIEW", help="The review file (TriG) `mcfkg extract` wrote.")],
) -> None:
    """Review the candidate facts of REVIEW."""
    ctx.obj = review
    if ctx.invoked_subcommand is None:
        from mcfkg.extract.review_commands import list_command

        raise typer.Exit(list_command(review, None, None, False))


@review_app.command("list")
def review_list(
    ctx: typer.Context,
    status: Annotated[Optional[str], typer.Option(metavar="STATUS", help="Only pending, accepted or rejected ones.")]
    = None,
    kind: KindOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """List the candidates: id, status, kind, confidence, rule, triples and the words that produced them."""
    from mcfkg.extract.review_commands import list_command

    raise typer.Exit(list_command(ctx.obj, status, kind, as_json))


def _review_status(ctx: typer.Context, ids: Optional[list[str]], status: str, kind: Optional[str],
                   min_confidence: Optional[float]) -> None:
    from mcfkg.extract.review_commands import status_command

    raise typer.Exit(status_command(ctx.obj, ids or [], status, kind, min_confidence))


@review_app.command("accept")
def review_accept(
    ctx: typer.Context,
    ids: ReviewIds = None,
    kind: KindOption = None,
    min_confidence: MinConfidence = None,
) -> None:
    """Accept candidates (`accept all`, `accept p1/s2/c1 p1/s2/c3`, `accept --kind amount --min-confidence 0.8`)."""
    _review_status(ctx, ids, "accepted", kind, min_confidence)


@review_app.command("reject")
def review_reject(
    ctx: typer.Context,
    ids: ReviewIds = None,
    kind: KindOption = None,
    min_confidence: MinConfidence = None,
) -> None:
    """Reject candidates: they stay in the review file and are never ingested."""
    _review_status(ctx, ids, "rejected", kind, min_confidence)


@review_app.command("reset")
def review_reset(
    ctx: typer.Context,
    ids: ReviewIds = None,
    kind: KindOption = None,
) -> None:
    """Put candidates back to pending."""
    _review_status(ctx, ids, "pending", kind, None)


@review_app.command("edit")
def review_edit(
    ctx: typer.Context,
    candidate: Annotated[str, typer.Argument(metavar="ID", help="One candidate, as `list` shows it.")],
    type_: Annotated[Optional[str], typer.Option("--type", metavar="CLASS", help="Its entity's class (mcf:Enterprise).")]
    = None,
    iri: Annotated[Optional[str], typer.Option("--iri", metavar="[OLD=]NEW",
                                               help="A new IRI for its entity, everywhere in the candidate.")] = None,
    value: Annotated[Optional[str], typer.Option("--value", metavar="VALUE",
                                                 help="A new value (same datatype) for its one stated value.")] = None,
    predicate: Annotated[Optional[str], typer.Option("--predicate", metavar="PROPERTY",
                                                     help="Whose value --value replaces, when it states several.")]
    = None,
    entity: Annotated[Optional[str], typer.Option("--entity", metavar="IRI",
                                                  help="Which entity --type or --iri concerns, when it has several.")]
    = None,
) -> None:
    """Edit one candidate: its entity's type or IRI, or its value (amount, count, date)."""
    from mcfkg.extract.review_commands import edit_command

    raise typer.Exit(edit_command(ctx.obj, candidate, type_, iri, value, predicate, entity))


@review_app.command("check")
def review_check(
    ctx: typer.Context,
    same_as: Annotated[Optional[list[str]], typer.Option("--same-as", metavar="NEW=EXISTING",
                                                         help="Check as if this new entity were the existing one.")]
    = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run SHACL on the accepted candidates with the whole graph, as ingest would; exit 1 on violations."""
    from mcfkg.extract.review_commands import check_command

    raise typer.Exit(check_command(_settings(), ctx.obj, same_as or [], as_json))


@review_app.command("ingest")
def review_ingest(
    ctx: typer.Context,
    same_as: Annotated[Optional[list[str]], typer.Option("--same-as", metavar="NEW=EXISTING",
                                                         help="As for `mcfkg ingest`; repeatable.")] = None,
    distinct: Annotated[Optional[list[str]], typer.Option("--distinct", metavar="NEW",
                                                          help="As for `mcfkg ingest`; repeatable.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the outcome as one JSON object.")] = False,
) -> None:
    """Ingest the accepted candidates as one source (`mcfkg ingest` on them: validated, reconciled, rebuilt)."""
    from mcfkg.extract.review_commands import ingest_command

    raise typer.Exit(ingest_command(_settings(), ctx.obj, same_as or [], distinct or [], as_json))
