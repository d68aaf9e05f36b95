"""Every name of a sentence (known, minted earlier, new), overlaps resolved to the longest, and
"the Plan"-style references resolved to the entity they point back to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from mcfkg.extract.entities.known import known_mentions, longest
from mcfkg.extract.entities.new_names import acronyms, minted_mentions, new_mentions
from mcfkg.extract.entities.patterns import ANAPHOR, ANAPHORS
from mcfkg.extract.gazetteer import Gazetteer
from mcfkg.extract.model import Mention, Sentence, Span


def find_mentions(sentence: Sentence, gazetteer: Gazetteer, minted: dict) -> list[Mention]:
    """Every name in ``sentence``, in text order: known ones (``known`` True) and new ones; overlapping
    names resolve to the longest. ``minted`` is shared by all sentences of one extraction."""
    known = known_mentions(sentence, gazetteer)
    again = minted_mentions(sentence, minted)
    new = new_mentions(sentence, gazetteer, minted, known)
    chosen = longest([*known, *again, *new])
    acronyms(sentence, chosen, gazetteer, minted)
    return chosen


def resolve_anaphora(sentence: Sentence, mentions: Sequence[Mention], recent: Sequence[Mention],
                     gazetteer: Gazetteer) -> list[Mention]:
    """``mentions`` plus "the Plan", "the Fund", "the Group" ... resolved to the most recent entity of
    that kind in ``recent`` (earlier mentions, oldest first), at a lower confidence."""
    added = []
    for match in ANAPHOR.finditer(sentence.text):
        start, end = match.start(1), match.end(1)
        if any(m.span.start < end and start < m.span.end for m in mentions):
            continue
        nxt = sentence.text[end:end + 2]
        if nxt[:1].isalpha() or (nxt[:1] == " " and nxt[1:2].isupper()):
            continue  # part of a longer name
        if re.match(r"\s+(?:of|for|in|to|that|which)\b", sentence.text[end:]):
            continue  # "the project of the military ...": a description, not a reference back
        classes = ANAPHORS[match.group(1).lower()]
        antecedent = next((m for c in classes for m in reversed(recent) if gazetteer.class_is_a(m.type, c)), None)
        if antecedent is None:
            continue
        span = Span(match.start(), end, sentence.text[match.start():end])
        added.append(replace(antecedent, span=span, rule=f"rule:entity/anaphor/the-{match.group(1).lower()}",
                             confidence=0.6))
    return sorted([*mentions, *added], key=lambda m: m.span.start)
