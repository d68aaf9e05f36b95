"""``--help`` of every command reads cleanly, and installing the package raises no deprecation warning."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from mcfkg.cli import app

ROOT = Path(__file__).resolve().parents[1]
# Typer 0.29 printed each parameter's Python type: --help <bool>, --data <list[str]>, sparql <str>.
PLACEHOLDER = re.compile(r"<[^<>\s]*>")


def command_paths(command: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and group of the CLI, as the words that name it (the root is ``()``)."""
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from command_paths(sub, (*path, name))


COMMANDS = list(command_paths(typer.main.get_command(app)))


def test_every_command_is_walked() -> None:
    assert {("serve",), ("query",), ("build",), ("link", "verify")} <= set(COMMANDS)


@pytest.mark.parametrize("words", COMMANDS, ids=lambda words: " ".join(words) or "mcfkg")
def test_help_has_no_type_placeholders(words: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*words, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "--help" in result.output
    assert not PLACEHOLDER.findall(result.output), result.output


def test_options_name_their_values() -> None:
    result = CliRunner().invoke(app, ["serve", "--help"], env={"COLUMNS": "200"})
    for option in ("--port PORT", "--data FILE[::GRAPH]", "--base-iri IRI", "--update-token TOKEN"):
        assert re.search(re.escape(option).replace(r"\ ", r"\s+"), result.output), (option, result.output)


def test_the_licence_is_an_spdx_expression_setuptools_reads_without_warning() -> None:
    """A table (``{ text = ... }``) made every ``pip install`` warn three times that it is deprecated."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "Apache-2.0"
    (setuptools,) = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    minimum = re.fullmatch(r"setuptools>=(\d+)", setuptools)
    assert minimum and int(minimum.group(1)) >= 77, "SPDX licence strings need setuptools 77"
