"""How alike two sets of labels are, language by language.

Labels are compared only within one language (English with English, Chinese with any
Chinese variant), so a transliteration never scores against characters. The score is
rapidfuzz's WRatio (0-100) after case and punctuation folding, which tolerates word order
and a missing "City"/"市" suffix without equating different names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from rdflib import Literal


@dataclass(frozen=True)
class LabelMatch:
    """The best pair of labels found, its score (0-100) and the language they share."""

    score: float
    ours: str
    theirs: str
    language: str


def base_language(tag: str | None) -> str:
    """``zh-hans`` -> ``zh``; untagged labels count as English."""
    return (tag or "en").split("-")[0].lower()


def best_match(ours: Iterable[Literal], theirs: Iterable[Literal]) -> LabelMatch | None:
    """The most similar pair of labels that share a language, or None if no language is shared."""
    best: LabelMatch | None = None
    theirs = list(theirs)
    for mine in ours:
        lang = base_language(mine.language)
        for other in theirs:
            if base_language(other.language) != lang:
                continue
            score = fuzz.WRatio(str(mine), str(other), processor=default_process)
            if best is None or score > best.score:
                best = LabelMatch(round(score, 1), str(mine), str(other), lang)
    return best
