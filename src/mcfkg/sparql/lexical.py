"""What can be read from SPARQL text without parsing it: the text without its string literals and
comments, and its PREFIX declarations.

A full parse (rdflib's) costs milliseconds per query; these scans cost microseconds and are
enough for what they feed: a bound on bracket nesting and the prefixes to write results with.
"""

from __future__ import annotations

import re

# One token at a time, leftmost first: an IRI (kept: '#' and quotes are allowed inside it), a long
# or short string literal, or a comment (both dropped).
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_STRINGS = [r"'''.*?(?<!\\)'''", r'""".*?(?<!\\)"""', r"'(?:[^'\\\n]|\\.)*'", r'"(?:[^"\\\n]|\\.)*"']
_TOKEN = re.compile("|".join([f"(?P<iri>{_IRI})", *_STRINGS, r"#[^\n]*"]), re.S)
_WHERE = re.compile(r"\bWHERE\b", re.IGNORECASE)
_PREFIX = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*|):\s*<([^<>\s]*)>", re.IGNORECASE)


def code_only(text: str) -> str:
    """``text`` with string literals and comments removed and IRIs kept."""
    return _TOKEN.sub(lambda m: m.group("iri") or " ", text)


def matches_patterns(update: str) -> bool:
    """Whether an update may evaluate a graph pattern (has a WHERE), so its time is unbounded.

    Without one (INSERT DATA, DELETE DATA, CLEAR, DROP, COPY ...) its work is bounded by the
    data it names or the store's size. A WHERE inside a prefixed name errs on the safe side.
    """
    return bool(_WHERE.search(code_only(update)))


def declared_prefixes(text: str) -> dict[str, str]:
    """The PREFIX declarations of a query (not those inside its strings or comments)."""
    return dict(_PREFIX.findall(code_only(text)))
