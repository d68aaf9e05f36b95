"""Pre-binding of ``$this`` and ``$currentShape`` in a SHACL-SPARQL query, by rewriting its text.

SHACL (section 5.6) pre-binds a variable by replacing it with its value everywhere, nested groups
and subqueries included. Oxigraph's own substitutions bind at the top only (a ``FILTER($this = x)``
in a nested group would see it unbound), so the query text is rewritten instead: the variable
becomes the term, ``bound($this)`` becomes ``(true)``, the outer projection keeps ``(term AS ?this)``
so the solution still names the focus node, a subquery's projection drops it, and ``GROUP BY``
groups by ``(term)``. The syntax SHACL forbids with pre-binding is refused (:class:`InvalidShape`).
"""

from __future__ import annotations

import re

from mcfkg.shacl.errors import InvalidShape

_SELECT = re.compile(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)(?=\bWHERE\b|\{)", re.IGNORECASE | re.DOTALL)
_GROUP = re.compile(r"\bGROUP\s+BY\s+((?:\s*(?:[?$]\w+|\((?:[^()]|\([^()]*\))*\)))+)", re.IGNORECASE)
_FORBIDDEN = re.compile(r"\b(MINUS|VALUES|SERVICE)\b", re.IGNORECASE)


def check(query: str, node: str) -> None:
    """Refuse what SHACL does not allow in a query with pre-bound variables (section 5.6.1)."""
    found = _FORBIDDEN.search(query) or re.search(r"\bAS\s+[?$](this|currentShape|shapesGraph|value)\b", query, re.I)
    if found:
        raise InvalidShape(f"SPARQL constraint {node} uses {found.group(0)!r}, which SHACL does not allow with "
                           "pre-bound variables: rewrite the query without it")
    for nested in list(_SELECT.finditer(query))[1:]:
        projection = nested.group(1)
        if not re.search(r"[?$]this\b", projection):  # SELECT * too: SHACL wants $this named
            raise InvalidShape(f"a subquery of SPARQL constraint {node} does not return $this: add it to its SELECT")


def prebind(query: str, bindings: dict[str, str]) -> str:
    """``query`` with each variable of ``bindings`` (name → SPARQL term text) replaced by its term."""
    for name, term in bindings.items():
        variable = re.compile(rf"[?$]{name}\b")
        query = re.sub(rf"\bbound\s*\(\s*[?$]{name}\s*\)", "(true)", query, flags=re.IGNORECASE)
        spans = [(m.start(1), m.end(1), f"({term} AS ?{name})" if i == 0 else "")
                 for i, m in enumerate(_SELECT.finditer(query))]
        spans += [(m.start(1), m.end(1), f"({term})") for m in _GROUP.finditer(query)]
        parts, position = [], 0
        for start, end, replacement in sorted(spans):
            parts.append(variable.sub(term, query[position:start]))
            span = variable.sub(replacement, query[start:end])
            parts.append(span if span.strip() else " * ")  # a subquery that returned only $this
            position = end
        parts.append(variable.sub(term, query[position:]))
        query = "".join(parts)
    return query
