"""Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to a SPARQL update.

The SPARQL 1.1 Protocol says these parameters act as ``USING`` / ``USING NAMED`` on every
``DELETE/INSERT ... WHERE`` operation, and that a request giving them for an update that has
its own ``USING`` or ``WITH`` is an error. Oxigraph's Python API takes no such dataset, so the
clauses are written into the update text just before each operation's top-level ``WHERE``.
Positions come from a SPARQL tokenizer (strings, IRIs, comments, prefixed names and
language tags are skipped), never from a text search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<word>[\w\u00b7\u0300-\u036f\u203f-\u2040][\w.\-:%\\\u00b7\u0300-\u036f\u203f-\u2040]*|:[\w.\-:%\\]*)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class UpdateDatasetConflict(ValueError):
    """The request names a dataset in both the protocol parameters and the update itself."""


@dataclass(frozen=True)
class _Keyword:
    word: str
    start: int


def _top_level_keywords(text: str) -> list[_Keyword]:
    """Bare keywords outside any ``{ }`` block, with their offsets."""
    depth = 0
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "open":
            if depth == 0:
                found.append(_Keyword("{", match.start()))  # a template block also breaks "DELETE WHERE"
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word" and depth == 0 and ":" not in match.group():
            found.append(_Keyword(match.group().upper(), match.start()))
        elif kind in ("iri", "var", "string", "other") and depth == 0:
            found.append(_Keyword("", match.start()))  # any other token breaks "DELETE WHERE"
    return found


def apply_using(update: str, using: tuple[str, ...], using_named: tuple[str, ...]) -> str:
    """The update with the protocol dataset written in as USING clauses; unchanged if none is given."""
    if not using and not using_named:
        return update
    keywords = _top_level_keywords(update)
    if any(k.word in ("USING", "WITH") for k in keywords):
        raise UpdateDatasetConflict(
            "using-graph-uri/using-named-graph-uri cannot be combined with an update that has its own "
            "USING or WITH clause; give the dataset in one place only")
    clause = "".join(f"USING <{iri}> " for iri in using) + "".join(f"USING NAMED <{iri}> " for iri in using_named)
    inserts = [k.start for i, k in enumerate(keywords)
               if k.word == "WHERE" and not (i > 0 and keywords[i - 1].word == "DELETE")]
    for offset in reversed(inserts):
        update = update[:offset] + clause + update[offset:]
    return update
