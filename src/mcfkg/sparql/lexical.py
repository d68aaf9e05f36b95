"""What can be read from SPARQL text without parsing it: the text without its string literals and
comments, its PREFIX declarations, and how deep and long it is (:func:`measure`).

A full parse (rdflib's) costs milliseconds per query; these scans cost microseconds and are
enough for what they feed: bounds on nesting and length and the prefixes to write results with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


_TRIPLE_TERM = re.compile(r"<<|>>")


def triple_term_depth(text: str) -> int:
    """How deep RDF-star triple terms (``<< s p o >>``) nest, outside strings and comments: the
    engine parses them recursively, in INSERT DATA too, where nothing else counts as nesting."""
    depth = deepest = 0
    for match in _TRIPLE_TERM.finditer(code_only(text)):
        depth = depth + 1 if match.group() == "<<" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def matches_patterns(update: str) -> bool:
    """Whether an update may evaluate a graph pattern (has a WHERE), so its time is unbounded.

    Without one (INSERT DATA, DELETE DATA, CLEAR, DROP, COPY ...) its work is bounded by the
    data it names or the store's size. A WHERE inside a prefixed name errs on the safe side.
    """
    return bool(_WHERE.search(code_only(update)))


def declared_prefixes(text: str) -> dict[str, str]:
    """The PREFIX declarations of a query (not those inside its strings or comments)."""
    return dict(_PREFIX.findall(code_only(text)))


@dataclass(frozen=True)
class Shape:
    """How deep and how long an operation is, counted the way Oxigraph's recursion grows with it."""

    nesting: int  # the deepest bracket nesting
    elements: int  # what the engine nests once per item: see :func:`measure`


# One token at a time, after any white space. IRIs come first, as in ``code_only``; names before words.
_SCAN = re.compile(r"""\s*(?:
    (?P<iri>""" + _IRI + r""")
  | (?P<string>'''.*?(?<!\\)'''|\"\"\".*?(?<!\\)\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<comment>\#[^\n]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<var>[?$]\w+)
  | (?P<name>(?:[^\W\d][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*)
  | (?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+\.\d*[eE][+-]?\d+|\d+(?:[eE][+-]?\d+)?)
  | (?P<word>[^\W\d]\w*)
  | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<datatype>\^\^)
  | (?P<op>\|\||&&|!=|<=|>=|[|/^!=<>+*-])
  | (?P<sep>[.;,])
  | (?P<other>\S)
)""", re.S | re.X)
_TERMS = frozenset({"iri", "string", "var", "name", "number", "word"})
_OPERANDS = _TERMS | {"close"}
# Keywords whose clause the engine nests once more per occurrence (a join, a left join, a filter ...).
_PATTERN_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "VALUES", "EXISTS"})
# The next "{" after one of these (and before a WHERE) holds data or a template: a flat list to the engine.
_DATA_KEYWORDS = frozenset({"DATA", "INSERT", "DELETE", "CONSTRUCT", "VALUES"})
_DATA = "data"


def measure(text: str) -> Shape:
    """The nesting and the number of elements of a query or update, outside strings and comments.

    Elements are what Oxigraph's parser and evaluator nest one level deeper per occurrence, so
    that a long chain overflows the stack as surely as deep brackets: operators (``&&``, ``+``,
    ``=``, ``!``, path ``|``, ``/``, ``^`` ...), pattern keywords (UNION, OPTIONAL, FILTER ...),
    triple patterns (``.``, ``;`` and ``,`` in a group), bracketed groups, and the items of a
    list written without commas (an RDF collection). A comma-separated ``IN (...)`` list, VALUES
    blocks, INSERT/DELETE DATA and templates are flat to the engine and count nothing.

    Where Oxigraph reads ``<`` after an operand as "less than" (``1<2&&2>1``), the ``<...>`` that
    looks like an IRI here counts every character inside it, so no operator can hide there.
    """
    frames: list[str] = []  # per open bracket: "(", "[", "{", or _DATA inside a data block
    deepest = elements = 0
    data_next = False  # the next "{" opens a data block
    previous = ""
    for match in _SCAN.finditer(text):
        kind = match.lastgroup
        if kind == "comment" or kind is None:
            continue
        frame = frames[-1] if frames else ""
        if kind == "open":
            bracket = match["open"]
            if frame == _DATA or (bracket == "{" and data_next):
                frames.append(_DATA)
                data_next = data_next and bracket != "{"
            else:
                frames.append(bracket)
                elements += 1
            deepest = max(deepest, len(frames))
        elif kind == "close":
            if frames:
                frames.pop()
        elif frame == _DATA:
            pass
        elif kind == "word":
            keyword = match["word"].upper()
            data_next = keyword in _DATA_KEYWORDS or (data_next and keyword != "WHERE")
            elements += keyword in _PATTERN_KEYWORDS
        elif kind in ("op", "sep"):
            elements += kind == "op" or frame != "("
        if kind in _TERMS and frame == "(" and previous in _OPERANDS:  # a list item, or "<" as an operator
            iri = match["iri"]
            elements += len(iri) if iri else 1
            deepest = max(deepest, len(frames) + (iri.count("(") + iri.count("[") if iri else 0))
        if kind != "lang":  # a language tag belongs to the string before it
            previous = kind
    return Shape(deepest, elements)
