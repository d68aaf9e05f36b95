"""Names the graph already knows, found in a sentence with spaCy's PhraseMatcher over the gazetteer's
labels, alternative, hidden and Chinese names (and the source's misspellings)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from mcfkg.extract.entities.patterns import MAX_NAME_WORDS, SKOS_CONCEPT, UNMATCHED_CLASSES, UNNAMED_LABEL
from mcfkg.extract.gazetteer import Entry, Gazetteer, has_cjk, nlp, words
from mcfkg.extract.model import Mention, Sentence, Span


class _KnownMatcher:
    """The gazetteer's names as a spaCy PhraseMatcher over normalised words (built once per gazetteer)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.vocab = nlp().vocab
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        self.keys: dict[str, list[tuple[Entry, float]]] = {}
        self.cjk: list[tuple[str, Entry, float]] = []
        for entry in gazetteer.entries.values():
            if not matchable(entry, gazetteer):
                continue
            for name in entry.names:
                if UNNAMED_LABEL.search(name.text):
                    continue
                if has_cjk(name.text):
                    self.cjk.append((name.text, entry, name.confidence))
                keys = [key for _, _, key in words(name.text)]
                if not keys or len(keys) > MAX_NAME_WORDS:
                    continue
                joined = " ".join(keys)
                if joined not in self.keys:
                    self.keys[joined] = []
                    self.matcher.add(joined, [Doc(self.vocab, words=keys)])
                if all(e.iri != entry.iri for e, _ in self.keys[joined]):
                    self.keys[joined].append((entry, name.confidence))
                else:  # the same key twice for one entity: keep the better name's confidence
                    self.keys[joined] = [(e, max(c, name.confidence) if e.iri == entry.iri else c)
                                         for e, c in self.keys[joined]]

    def find(self, text: str) -> list[tuple[int, int, list[tuple[Entry, float]]]]:
        found_words = words(text)
        if not found_words:
            return []
        doc = Doc(self.vocab, words=[key for _, _, key in found_words])
        found = []
        for match_id, start, end in self.matcher(doc):
            key = self.vocab.strings[match_id]
            first, last = found_words[start][0], found_words[end - 1][1]
            found.append((first, _balanced(text, first, last), self.keys[key]))
        for name, entry, confidence in self.cjk:
            for variant in {name, unicodedata.normalize("NFKC", name)}:
                at = text.find(variant)
                while at >= 0:
                    found.append((at, at + len(variant), [(entry, confidence)]))
                    at = text.find(variant, at + 1)
        return found


def _balanced(text: str, start: int, end: int) -> int:
    """``end``, moved past the closing bracket of a name that opens one ("City (Mianyang)")."""
    piece = text[start:end]
    for opening, closing in ("()", "（）", "[]"):
        if piece.count(opening) > piece.count(closing) and text[end:end + 1] == closing:
            return end + 1
    return end


_MATCHERS: dict[int, tuple[Gazetteer, _KnownMatcher]] = {}


def _matcher(gazetteer: Gazetteer) -> _KnownMatcher:
    held = _MATCHERS.get(id(gazetteer))
    if held is None or held[0] is not gazetteer:
        held = (gazetteer, _KnownMatcher(gazetteer))
        _MATCHERS.clear()  # one gazetteer at a time is enough; do not keep old ones alive
        _MATCHERS[id(gazetteer)] = held
    return held[1]


def matchable(entry: Entry, gazetteer: Gazetteer) -> bool:
    """Whether an entity's names are looked for in text (not a fact node, passage or generic concept)."""
    if not entry.types:
        return False
    return not any(gazetteer.is_a(entry.iri, cls) for cls in UNMATCHED_CLASSES)


def _choose(candidates: list[tuple[Entry, float]]) -> tuple[Entry, float]:
    """One entity for a name several share: the best name; the confidence halved for the doubt."""
    ranked = sorted(candidates, key=lambda pair: (-pair[1], str(pair[0].iri)))
    entry, confidence = ranked[0]
    return entry, confidence if len(ranked) == 1 else round(confidence / 2, 2)


def known_mentions(sentence: Sentence, gazetteer: Gazetteer) -> list[Mention]:
    """The gazetteer's names in the sentence, the longest of overlapping ones."""
    text = sentence.text
    mentions = []
    for start, end, candidates in _matcher(gazetteer).find(text):
        entry, confidence = _choose(candidates)
        rule = "gazetteer/name" if len(candidates) == 1 else "gazetteer/ambiguous-name"
        mentions.append(Mention(Span(start, end, text[start:end]), entry.iri, entry.type or SKOS_CONCEPT,
                                entry.label, True, rule, confidence))
    return longest(mentions)


def longest(mentions: Iterable[Mention]) -> list[Mention]:
    """Of overlapping mentions the longest (then the earliest, then the known), in text order."""
    chosen: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.span.end - m.span.start), m.span.start, not m.known)):
        if all(mention.span.end <= other.span.start or mention.span.start >= other.span.end for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.span.start)
