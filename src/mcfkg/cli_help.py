"""A Typer app whose ``--help`` names each value in words (``--port PORT``), never by a type placeholder.

Typer 0.29 prints every parameter's Python type in angle brackets in its help panels, flags
included: ``--help <bool>``, ``--data <list[str]>``, ``sparql <str>``. That reads as if every
flag wanted a value and tells a user nothing a name would not. :class:`App` gives every command
and group of the CLI the classes below: an option shows its ``metavar`` (its name in capitals
unless one is given, e.g. ``--dist DIR``), a flag shows nothing, an argument just its name.

Typer builds its own parameter objects and has no hook to choose their class, so the command
re-classes them to these subclasses (same data, only the help rendering differs) when it lists them.
"""

from __future__ import annotations

from typing import Any

import typer
from typer import _click as click  # the click Typer vendors: its Context is what commands receive
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


class _Option(TyperOption):
    def display_type_rich(self, ctx: click.Context) -> str | None:
        if self.is_flag:
            return None
        return self.metavar or (self.name or "value").upper()


class _Argument(TyperArgument):
    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None


def _plain(params: list[Any]) -> list[Any]:
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _Option
        elif type(param) is TyperArgument:
            param.__class__ = _Argument
    return params


class PlainHelpCommand(TyperCommand):
    """A command whose help shows value names, not types."""

    def get_params(self, ctx: click.Context) -> list[Any]:
        return _plain(super().get_params(ctx))


class PlainHelpGroup(TyperGroup):
    """A group whose help shows value names, not types."""

    def get_params(self, ctx: click.Context) -> list[Any]:
        return _plain(super().get_params(ctx))


class App(typer.Typer):
    """``typer.Typer`` whose group and commands use the plain-help classes unless told otherwise."""

    def __init__(self, **options: Any) -> None:
        super().__init__(cls=PlainHelpGroup, **options)

    def command(self, *args: Any, **options: Any) -> Any:
        options.setdefault("cls", PlainHelpCommand)
        return super().command(*args, **options)
