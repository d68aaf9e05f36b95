"""The ``mcfkg`` command line. Thin: each command parses flags and calls one module."""

from __future__ import annotations

import typer

app = typer.Typer(no_args_is_help=True, help="mcfkg: the military-civil fusion knowledge graph.")


@app.callback()
def main() -> None:
    """Build, validate, query, serve and link the MCF knowledge graph."""


# Commands are added below, one function each: build, validate, query, export, serve, link.
