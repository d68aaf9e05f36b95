"""link propose|verify|accept and extract (modules: link.commands, extract.commands, which print and return the exit code)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from mcfkg.cli.common import ENDPOINT_HELP, app, fail, link_app, settings_or_exit
from mcfkg.config import Settings

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

    settings = settings_or_exit(link_endpoint=endpoint, geonames_service=geonames_service)
    problem = url_problem(settings.link_endpoint)
    if problem:
        fail(f"MCFKG_LINK_ENDPOINT {problem}")
    problem = service_problem(settings.geonames_service)
    if problem:
        fail(f"MCFKG_GEONAMES_SERVICE {problem}")
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

    settings = settings_or_exit()
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
        fail("--geonames-service is asked only with --link: add --link, or leave it out")
    settings = _link_settings(None, geonames_service) if link else settings_or_exit()
    raise typer.Exit(run(settings, article, out, url, title, published, publisher, link, source_id))


