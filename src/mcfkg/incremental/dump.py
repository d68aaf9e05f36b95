"""The N-Quads dump after an incremental change: the old lines minus the removed quads, plus the added ones.

N-Quads is one statement per line and pyoxigraph writes each term one way, so a quad's line is
the same bytes in the build's dump and here: removing is dropping lines, adding is appending
them, and no line is parsed. The new dump replaces the old one whole, as builds do (servers hold
hard links to the old file, which must stay as it was).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from mcfkg.sources.document import replacing


def lines(quads: Iterable[ox.Quad]) -> list[bytes]:
    """Each quad as its N-Quads line (newline included), as pyoxigraph writes it."""
    out = io.BytesIO()
    ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
    return out.getvalue().splitlines(keepends=True)


def rewrite(dump: Path, added: Iterable[ox.Quad], removed: Iterable[ox.Quad]) -> None:
    """Replace ``dump`` by itself without ``removed`` and with ``added`` (which must not be in it already)."""
    dropped = set(lines(removed))
    with replacing(dump) as out, open(dump, "rb") as old:
        if dropped:
            out.writelines(line for line in old if line not in dropped)
        else:  # the kernel copies (a dump of a million triples is 300 MB)
            size, copied = os.fstat(old.fileno()).st_size, 0
            while copied < size:
                copied += os.sendfile(out.fileno(), old.fileno(), copied, size - copied)
            out.seek(copied)
        out.writelines(lines(added))
