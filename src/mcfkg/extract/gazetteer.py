"""Every name the graph knows, so that a new article's mentions of known things resolve to their IRIs.

Names are ``rdfs:label``, ``skos:altLabel`` and ``skos:hiddenLabel`` in any language: English names,
Chinese names (``"绵阳"@zh``) and the misspellings the sources were recorded with (``"Miangyang"``).
Only the graph's own entities (IRIs under ``id/``) are names here; the vocabulary is not.

Names are compared as :func:`name_key` makes them: :func:`mcfkg.sources.reconcile.normalise` (NFKC,
case-folded, no white space), then without punctuation (``Sci-Tech`` = ``Sci Tech``, ``People's`` =
``People’s``, ``Co., Ltd.`` = ``Co Ltd``) and with a plural ``-s``/``-ies`` folded, applied alike to
the names and to the text, so ``Science and Technology Progress Awards`` finds the ``... Award``.
:mod:`mcfkg.extract.entities` does the matching (longest match wins).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from rdflib import OWL, RDF, RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from spacy.language import Language

from mcfkg.sources.reconcile import normalise
from mcfkg.vocab import CANONICAL_BASE, Vocab

NAME_PROPERTIES = (RDFS.label, SKOS.altLabel, SKOS.hiddenLabel)
# How sure a match on each kind of name is: a label, an alternative name, a recorded misspelling.
NAME_CONFIDENCE = {RDFS.label: 0.95, SKOS.altLabel: 0.9, SKOS.hiddenLabel: 0.85}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_VOCAB = Vocab(CANONICAL_BASE)
MCF = _VOCAB.MCF
SCHEMA = "https://schema.org/"


def _strip_punctuation(text: str) -> str:
    return "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z")))


def _fold_plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def token_key(text: str) -> str:
    """One word as compared: normalised, without punctuation, plural folded ('' for punctuation)."""
    return _fold_plural(_strip_punctuation(normalise(text)))


@functools.lru_cache(maxsize=1)
def nlp() -> Language:
    """The blank English spaCy pipeline (a tokenizer, no trained model: none is downloaded)."""
    return spacy.blank("en")


def words(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text`` as spaCy's tokenizer splits them: (start, end, :func:`token_key`), without
    the tokens that are only punctuation."""
    found = []
    for token in nlp().tokenizer(text):
        key = token_key(token.text)
        if key:
            found.append((token.idx, token.idx + len(token.text), key))
    return found


def name_key(name: str) -> str:
    """A whole name as compared: its words' :func:`token_key` joined, so spacing does not count."""
    return "".join(key for _, _, key in words(name))


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese characters (such names are matched inside words too)."""
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class Name:
    """One name of one entity, as written, with the property that gives it."""

    text: str
    language: str | None
    prop: URIRef

    @property
    def confidence(self) -> float:
        return NAME_CONFIDENCE.get(self.prop, 0.8)


@dataclass
class Entry:
    """A known entity: its IRI, its names, its types (``types``: as stated; ``type``: the most specific
    mcf: class, else the most specific of the others) and the places it is in (``mcf:locatedIn``)."""

    iri: URIRef
    names: list[Name] = field(default_factory=list)
    types: set[URIRef] = field(default_factory=set)
    type: URIRef | None = None
    located_in: set[URIRef] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The English rdfs:label, else any label, else any name, else the IRI's last segment."""
        for prop, lang in ((RDFS.label, "en"), (RDFS.label, None), (SKOS.altLabel, "en")):
            for name in self.names:
                if name.prop == prop and (lang is None or name.language == lang):
                    return name.text
        return self.names[0].text if self.names else self.iri.rsplit("/", 1)[-1]


class Gazetteer:
    """The names the graph knows → entries, and the class hierarchy to ask "is this a place?"."""

    def __init__(self, entries: dict[URIRef, Entry], superclasses: dict[URIRef, set[URIRef]]) -> None:
        self.entries = entries
        self.superclasses = superclasses  # class → itself and all its superclasses
        self.by_key: dict[str, list[tuple[Entry, Name]]] = defaultdict(list)
        for entry in entries.values():
            for name in entry.names:
                key = name_key(name.text)
                if key:
                    self.by_key[key].append((entry, name))

    # ------------------------------------------------------------------ building
    @classmethod
    def from_dataset(cls, ds: Dataset, exclude_graph_prefixes: Iterable[str] = (),
                     ontology: Graph | None = None, base_iri: str = CANONICAL_BASE) -> Gazetteer:
        """Every entity of ``ds`` that has a name, with its types.

        ``exclude_graph_prefixes``: a graph whose IRI equals one of these, or continues it with ``/``
        (or starts with it, for a prefix ending in ``/``), is left out, so names and types stated only
        there are not known (the benchmark removes the curated article's graphs this way).
        ``ontology``: where the class hierarchy comes from when ``ds`` has none (default: the
        ontology graph in ``ds``, else ``ontology/mcf.ttl``). ``base_iri``: the base ``ds`` was loaded
        under; IRIs are returned under the canonical base, as the review file writes them.
        """
        prefixes = tuple(str(p) for p in exclude_graph_prefixes)

        def excluded(graph: Node | None) -> bool:
            name = str(graph)
            return any(name == p or name.startswith(p if p.endswith("/") else p + "/") for p in prefixes)

        def canon(node: Node) -> Node:
            if base_iri != CANONICAL_BASE and isinstance(node, URIRef) and node.startswith(base_iri):
                return URIRef(CANONICAL_BASE + node[len(base_iri):])
            return node

        id_ns = str(_VOCAB.ID)
        entries: dict[URIRef, Entry] = {}
        subclass: dict[URIRef, set[URIRef]] = defaultdict(set)
        same_as: list[tuple[URIRef, URIRef]] = []
        located: list[tuple[URIRef, URIRef]] = []
        for s, p, o, g in ds.quads((None, None, None, None)):
            if excluded(g):
                continue
            s, p, o = canon(s), canon(p), canon(o)
            if p == RDFS.subClassOf and isinstance(s, URIRef) and isinstance(o, URIRef):
                subclass[s].add(o)
                continue
            if not isinstance(s, URIRef) or not s.startswith(id_ns):
                continue
            if p in NAME_PROPERTIES and isinstance(o, Literal) and isinstance(p, URIRef):
                entry = entries.setdefault(s, Entry(s))
                name = Name(str(o), o.language, p)
                if name not in entry.names:
                    entry.names.append(name)
            elif p == RDF.type and isinstance(o, URIRef):
                entries.setdefault(s, Entry(s)).types.add(o)
            elif p == _VOCAB.MCF.locatedIn and isinstance(o, URIRef):
                located.append((s, o))
            elif p == OWL.sameAs and isinstance(o, URIRef):
                same_as.append((s, o))
        if not subclass:
            subclass = _hierarchy(ontology)
        superclasses = _closure(subclass)
        for s, o in located:
            if s in entries:
                entries[s].located_in.add(o)
        kept = {iri: entry for iri, entry in entries.items() if entry.names}
        for entry in kept.values():
            entry.names.sort(key=lambda n: (list(NAME_PROPERTIES).index(n.prop), n.language != "en", n.text))
            entry.type = most_specific(entry.types, superclasses)
        return cls(kept, superclasses)

    @classmethod
    def from_files(cls, paths: Iterable[Path], exclude_graph_prefixes: Iterable[str] = ()) -> Gazetteer:
        """The gazetteer of some RDF files (the ontology among them, or ``ontology/mcf.ttl`` is read)."""
        from mcfkg.graph import load_dataset

        return cls.from_dataset(load_dataset(list(paths)), exclude_graph_prefixes)

    # ------------------------------------------------------------------ asking
    def lookup(self, name: str) -> list[tuple[Entry, Name]]:
        """The entries having ``name`` (compared by :func:`name_key`), best first."""
        found = self.by_key.get(name_key(name), [])
        return sorted(found, key=lambda pair: (-pair[1].confidence, str(pair[0].iri)))

    def resolve(self, name: str, within: URIRef | None = None) -> Entry | None:
        """The one entry a name stands for (of class ``within`` when given), or None when none or several."""
        found = {entry.iri: entry for entry, _ in self.lookup(name) if within is None or self.is_a(entry.iri, within)}
        return next(iter(found.values())) if len(found) == 1 else None

    def is_a(self, thing: URIRef, cls: URIRef) -> bool:
        """Whether a known entity (or a class) is of class ``cls``, with superclasses."""
        entry = self.entries.get(thing)
        types = entry.types if entry else {thing}
        return any(cls in self.superclasses.get(t, {t}) for t in types)

    def class_is_a(self, cls: URIRef | None, superclass: URIRef) -> bool:
        """Whether class ``cls`` is ``superclass`` or below it."""
        return cls is not None and superclass in self.superclasses.get(cls, {cls})

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, iri: object) -> bool:
        return iri in self.entries


def most_specific(types: set[URIRef], superclasses: dict[URIRef, set[URIRef]]) -> URIRef | None:
    """The most specific of ``types``: an mcf: class when there is one (no other type below it)."""
    if not types:
        return None
    below = {t for t in types if not any(t != u and t in superclasses.get(u, {u}) for u in types)}
    ranked = sorted(below, key=lambda t: (not str(t).startswith(str(MCF)), -len(superclasses.get(t, ())), str(t)))
    return ranked[0]


def _hierarchy(ontology: Graph | None) -> dict[URIRef, set[URIRef]]:
    if ontology is None:
        from mcfkg.config import Settings
        from mcfkg.graph import load_graph

        path = Settings().ontology_dir / "mcf.ttl"
        if not path.exists():
            return {}
        ontology = load_graph(path)
    subclass: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in ontology.subject_objects(RDFS.subClassOf):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            subclass[s].add(o)
    return subclass


def _closure(subclass: dict[URIRef, set[URIRef]]) -> dict[URIRef, set[URIRef]]:
    closed: dict[URIRef, set[URIRef]] = {}
    for cls in subclass:
        seen = {cls}
        frontier = [cls]
        while frontier:
            for parent in subclass.get(frontier.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    frontier.append(parent)
        closed[cls] = seen
    return closed
