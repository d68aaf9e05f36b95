"""What the command line prints: tables and messages, laid out for a terminal or kept whole for a pipe.

Rich fits a table to the terminal, and to 80 columns when there is none: piped into a file or a
log, paths ended in "…", names broke mid-word and IRIs split across lines. So a table is boxed
and folded only for a terminal; anywhere else it is tab-separated lines, each value whole (a tab
or newline inside one written as ``\\t`` or ``\\n``), which grep, cut and spreadsheets read.
Messages are never wrapped by us: a terminal wraps them itself, a log keeps each on one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table
from rich.text import Text

Cell = str | Text  # a Text carries a style for the terminal (e.g. a red "problem"); pipes get its plain text


@dataclass
class TextTable:
    """A table to print: ``title`` above it, ``caption`` below, one list of cells per row."""

    columns: Sequence[str]
    rows: list[Sequence[Cell]] = field(default_factory=list)
    title: str = ""
    caption: str = ""
    show_header: bool = True

    def add_row(self, *cells: Cell) -> None:
        self.rows.append(cells)


def console(stderr: bool = False) -> Console:
    """A console for stdout (or stderr) that prints messages unwrapped."""
    return Console(stderr=stderr, soft_wrap=True)


def print_table(table: TextTable, out: Console) -> None:
    """``table`` on ``out``: boxed and folded to fit a terminal, else as whole tab-separated values."""
    if out.is_terminal:
        out.print(_boxed(table), soft_wrap=False)
        return
    lines = [table.title] if table.title else []
    if table.show_header:
        lines.append("\t".join(_whole(column) for column in table.columns))
    lines += ["\t".join(_whole(cell) for cell in row) for row in table.rows]
    if table.caption:
        lines.append(table.caption)
    out.file.write("".join(f"{line}\n" for line in lines))  # as is: rich would expand the tabs
    out.file.flush()


def _boxed(table: TextTable) -> Table:
    boxed = Table(title=table.title or None, caption=table.caption or None, show_header=table.show_header)
    for column in table.columns:
        boxed.add_column(column, overflow="fold")
    for row in table.rows:
        boxed.add_row(*(cell if isinstance(cell, Text) else Text(cell) for cell in row))  # Text: no markup
    return boxed


def _whole(cell: Cell) -> str:
    text = cell.plain if isinstance(cell, Text) else cell
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
