"""review: the candidates `mcfkg extract` wrote, accepted, rejected, edited, checked and ingested (module:
extract.review_commands, which prints and returns the exit code)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from mcfkg.cli.common import app, settings_or_exit
from mcfkg.cli_help import App

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

    raise typer.Exit(check_command(settings_or_exit(), ctx.obj, same_as or [], as_json))


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

    raise typer.Exit(ingest_command(settings_or_exit(), ctx.obj, same_as or [], distinct or [], as_json))
