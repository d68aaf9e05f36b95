"""The ``mcfkg`` command line. Thin: each command parses flags and calls one module; the commands live
in one module per family (pipeline, links, sources, review), the shared parts in :mod:`mcfkg.cli.common`.

Every error a user can fix (a bad file, a malformed query, a wrong ``MCFKG_*`` value, an
unwritable output path) is printed as one line on stderr with a non-zero exit code, never as
a traceback; exit code 2 means "the input was unusable".
"""

from __future__ import annotations

# Importing them registers their commands, in the order `mcfkg --help` lists them.
from mcfkg.cli import pipeline, links, sources, review  # noqa: F401  # isort: skip
from mcfkg.cli.common import app

__all__ = ["app"]
