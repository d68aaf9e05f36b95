"""``python -m mcfkg``: the CLI, for a child process that must run under this very interpreter."""

from mcfkg.cli import app

app(prog_name="mcfkg")
