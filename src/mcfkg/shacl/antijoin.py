"""``FILTER NOT EXISTS { triples }`` as ``OPTIONAL { triples } FILTER (!BOUND(?v))``, which Oxigraph runs fast.

Oxigraph evaluates the pattern of ``FILTER NOT EXISTS`` without the values the solution already
fixes (the pre-bound focus node included), so a constraint such as "no fact graph is derived from
this passage" scans every fact graph once per passage: quadratic, minutes at 100k triples. As a
left join the same pattern uses the focus node's index. The rewrite is made only where it gives
the same solutions: the ``NOT EXISTS`` is directly in the query's outer group, its pattern is
triples only, and ``?v`` is one of the pattern's own variables, used nowhere else in the query
(so the join binds nothing the rest of the query sees). The left join goes at the end of the
group, where the group's filter would have applied.
"""

from __future__ import annotations

import re

_NOT_EXISTS = re.compile(r"FILTER\s*NOT\s+EXISTS\s*\{", re.IGNORECASE)
# Anything but triples; a keyword inside a name (?graph, mcf:Graph, <.../graph>) only makes the rewrite skip.
_NOT_TRIPLES = re.compile(r"[{}]|(?<![?$:/#\w-])(FILTER|BIND|VALUES|OPTIONAL|UNION|MINUS|GRAPH|SERVICE|SELECT)\b",
                          re.IGNORECASE)
_VARIABLE = re.compile(r"[?$](\w+)")


def anti_joins(query: str) -> str:
    """``query`` with each outer-group ``FILTER NOT EXISTS`` over plain triples made a left join."""
    opening = query.find("{")
    closing = _matching(query, opening)
    if opening < 0 or closing < 0:
        return query
    used = _VARIABLE.findall(query)
    removed: list[tuple[int, int]] = []
    added: list[str] = []
    for match in _NOT_EXISTS.finditer(query, opening, closing):
        end = _matching(query, match.end() - 1)
        inner = query[match.end():end]
        if _depth(query, opening, match.start()) != 1 or end < 0 or _NOT_TRIPLES.search(inner):
            continue
        own = [v for v in dict.fromkeys(_VARIABLE.findall(inner)) if used.count(v) == _VARIABLE.findall(inner).count(v)]
        if own:
            removed.append((match.start(), end + 1))
            added.append(f" OPTIONAL {{{inner}}} FILTER (!BOUND(?{own[0]}))")
    if not removed:
        return query
    parts, position = [], 0
    for start, end in removed:
        parts.append(query[position:start])
        position = end
    parts.append(query[position:closing])
    return "".join(parts) + "".join(added) + "\n" + query[closing:]


def _matching(text: str, opening: int) -> int:
    """The index of the brace closing the one at ``opening`` (-1 if none)."""
    depth = 0
    for i in range(max(opening, 0), len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return i
    return -1


def _depth(text: str, opening: int, position: int) -> int:
    """How many groups are open at ``position``, counting the outer group that opens at ``opening``."""
    segment = text[opening:position]
    return segment.count("{") - segment.count("}")
