"""The review of an extraction: naming candidates, accepting, rejecting and editing them, the review file changed in place.

Logic only (``mcfkg review`` prints, :mod:`mcfkg.web.review_page` renders). Every function works on
an :class:`~mcfkg.extract.model.Extraction` in memory; the callers read and rewrite the review file
(:mod:`mcfkg.extract.review_file`).

A candidate is named by its graph in the review file, ``mcfg:<source>/pP/sS/cK``: K numbers the
candidates of sentence S of paragraph P from 1, in the order the extraction lists them. Anywhere a
candidate id is taken, the whole IRI, ``mcfg:<source>/pP/sS/cK`` or the tail ``pP/sS/cK`` will do.

The accepted candidates become one source, checked with SHACL, in :mod:`mcfkg.extract.accepted`.
"""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TypeVar, cast

from rdflib import RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef
from rdflib.term import Node

from mcfkg.extract.model import Candidate, Extraction, Sentence, Status
from mcfkg.vocab import Vocab

T = TypeVar("T")

STATUSES: tuple[Status, ...] = ("pending", "accepted", "rejected")
REVIEW = Namespace("https://w3id.org/mcfkg/def/review#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
_TAIL = re.compile(r"(?:^|/)(p(\d+)/s(\d+)/c(\d+))$")
# Predicates whose values name a thing rather than state a value: an edit of "the value" skips them.
_NAMING = {RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel, RDFS.comment, SKOS.note, SKOS.scopeNote}
PREFIXES = {"mcf": str(Vocab().MCF), "mcfid": str(Vocab().ID), "mcfg": str(Vocab().GRAPH), "rdf": str(RDF),
             "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD), "dcterms": str(DCTERMS), "prov": str(PROV),
             "foaf": str(FOAF), "schema": str(SCHEMA), "org": str(ORG),
             "wd": "http://www.wikidata.org/entity/", "gn": "https://sws.geonames.org/"}


class ReviewError(ValueError):
    """A request the review cannot carry out (an unknown candidate, an edit that does not fit); the
    message says what to give instead. Nothing was changed."""


# --- naming -------------------------------------------------------------------------------------


def candidate_ids(extraction: Extraction) -> list[str]:
    """``pP/sS/cK`` of every candidate, in the extraction's order (K counts within the sentence, from 1)."""
    seen: dict[tuple[int, int], int] = {}
    ids = []
    for candidate in extraction.candidates:
        key = (candidate.sentence.paragraph, candidate.sentence.number)
        seen[key] = seen.get(key, 0) + 1
        ids.append(f"p{key[0]}/s{key[1]}/c{seen[key]}")
    return ids


def candidate_iri(extraction: Extraction, candidate_id: str) -> URIRef:
    """The graph that holds a candidate in the review file, ``mcfg:<source>/pP/sS/cK``."""
    return Vocab().GRAPH[f"{extraction.source_id}/{candidate_id}"]


def document_iri(extraction: Extraction) -> URIRef:
    return Vocab().ID[extraction.source_id]


def passage_iri(extraction: Extraction, sentence: Sentence) -> URIRef:
    """``mcfid:<source>/pP/sS``, the passage of one sentence (its locator, as mcfsh:PassageShape wants)."""
    return Vocab().ID[f"{extraction.source_id}/p{sentence.paragraph}/s{sentence.number}"]


def fact_graph_iri(extraction: Extraction, sentence: Sentence) -> URIRef:
    """``mcfg:<source>/pP/sS``, the graph of the facts one sentence states."""
    return Vocab().GRAPH[f"{extraction.source_id}/p{sentence.paragraph}/s{sentence.number}"]


def find(extraction: Extraction, given: str) -> int:
    """The index of the candidate named ``given`` (IRI, ``mcfg:…`` or ``pP/sS/cK``); ReviewError if none is."""
    text = given.strip().strip("<>")
    match = _TAIL.search(text)
    ids = candidate_ids(extraction)
    if match:
        head = text[: match.start(1)].rstrip("/")
        own = {"", f"{Vocab().GRAPH}{extraction.source_id}", f"mcfg:{extraction.source_id}"}
        if head in own and match.group(1) in ids:
            return ids.index(match.group(1))
    known = f"{ids[0]} … {ids[-1]}" if ids else "none: the review file has no candidates"
    raise ReviewError(f"{given!r} names no candidate of {extraction.source_id}; give pP/sS/cK as `mcfkg review "
                      f"FILE list` shows it (candidates: {known})")


def select(extraction: Extraction, ids: Sequence[str] = (), kind: str | None = None,
           min_confidence: float | None = None, status: str | None = None) -> list[str]:
    """The ids of the candidates named in ``ids`` (``all``: every one; none given: every one too) that are
    also of ``kind``, at least ``min_confidence`` sure and in ``status``, each once, in review order."""
    every = candidate_ids(extraction)
    if not ids or any(i.strip().lower() == "all" for i in ids):
        chosen = set(range(len(every)))
    else:
        chosen = {find(extraction, i) for i in ids}
    return [every[i] for i, c in enumerate(extraction.candidates)
            if i in chosen and (kind is None or c.kind == kind)
            and (min_confidence is None or c.confidence >= min_confidence)
            and (status is None or c.status == status)]


# --- changes ------------------------------------------------------------------------------------


def set_status(extraction: Extraction, candidate_ids_: Iterable[str], status: str) -> list[str]:
    """Give the named candidates (``all``: every one) ``status`` (pending, accepted, rejected); the ids
    whose status changed, in review order."""
    if status not in STATUSES:
        raise ReviewError(f"status {status!r}: use one of {', '.join(STATUSES)}")
    every = candidate_ids(extraction)
    given = list(candidate_ids_)
    if any(i.strip().lower() == "all" for i in given):
        given = every
    changed = []
    for index in sorted({find(extraction, i) for i in given}):
        candidate = extraction.candidates[index]
        if candidate.status != status:
            candidate.status = status
            changed.append(every[index])
    return changed


def edit(extraction: Extraction, candidate_id: str, subject: str | None = None, predicate: str | None = None,
         obj: str | None = None, type: str | None = None, entity: str | None = None) -> Candidate:
    """Change one candidate's triples, leaving its status as it is; the candidate (changed in place).

    - ``type``: the class of its entity (the one entity it types, else ``entity``): its ``rdf:type``
      triples become this one class;
    - ``subject``: a new IRI for its main entity (the subject nothing else in the candidate points to,
      or ``entity``), everywhere in the candidate, as subject and as object;
    - ``obj``: a new value for the object of ``predicate`` (by default the one number or date the
      candidate states, else its one value that is not a name, else the object of its one relation):
      a literal keeps its datatype and
      language, and must be valid for it; an IRI's replacement must be an IRI.

    IRIs are given whole (``https://…``), as ``prefix:local`` (mcfid:, mcf:, schema:, …) or, for an
    entity, as a bare local name (``mianyang`` is ``mcfid:mianyang``). The note records the edit.
    """
    if subject is None and obj is None and type is None:
        raise ReviewError("nothing to edit: give a type, an IRI or a value")
    index = find(extraction, candidate_id)
    candidate = extraction.candidates[index]
    triples = list(candidate.triples)
    done = []
    if type is not None:
        node = _iri(entity, entity=True) if entity else _typed_entity(triples)
        new_type = _iri(type)
        triples = [t for t in triples if not (t[0] == node and t[1] == RDF.type)] + [(node, RDF.type, new_type)]
        done.append(f"type of {_short(node)} set to {_short(new_type)}")
    if subject is not None:
        old = _iri(entity, entity=True) if entity else _main_entity(triples)
        new = _iri(subject, entity=True)
        if not any(old in (s, o) for s, _, o in triples):
            raise ReviewError(f"{_short(old)} is not in candidate {candidate_id}")
        triples = [(new if s == old else s, p, new if o == old else o) for s, p, o in triples]
        done.append(f"{_short(old)} renamed {_short(new)}")
    if obj is not None:
        position = _value_triple(triples, _iri(predicate) if predicate else None, candidate_id)
        s, p, old_value = triples[position]
        new_value = _value_like(old_value, obj)
        triples[position] = (s, p, new_value)
        done.append(f"{_short(p)} of {_short(s)} changed from {old_value} to {new_value}")
    candidate.triples = list(dict.fromkeys(triples))  # an edit can make two triples one
    edited = "edited: " + "; ".join(done)
    candidate.note = f"{candidate.note}; {edited}" if candidate.note else edited
    return candidate


def _typed_entity(triples: list[tuple[Node, Node, Node]]) -> Node:
    typed = sorted({s for s, p, _ in triples if p == RDF.type}, key=str)
    if len(typed) == 1:
        return typed[0]
    return _main_entity(triples)


def _main_entity(triples: list[tuple[Node, Node, Node]]) -> Node:
    """The subject no other triple of the candidate points to, when there is exactly one."""
    subjects = {s for s, _, _ in triples}
    roots = sorted(subjects - {o for _, _, o in triples}, key=str)
    if len(roots) == 1:
        return roots[0]
    named = ", ".join(_short(s) for s in sorted(subjects, key=str))
    raise ReviewError(f"the candidate has several entities ({named}); say which one (--entity)")


def _value_triple(triples: list[tuple[Node, Node, Node]], predicate: URIRef | None, candidate_id: str) -> int:
    if predicate is not None:
        found = [i for i, t in enumerate(triples) if t[1] == predicate]
        if len(found) != 1:
            raise ReviewError(f"candidate {candidate_id} has {len(found)} triples with {_short(predicate)}; "
                              "an edited value must be the object of exactly one")
        return found[0]
    literals = [i for i, (_, p, o) in enumerate(triples) if isinstance(o, Literal)]
    stated = [i for i in literals if triples[i][1] not in _NAMING]
    typed = [i for i in stated if cast(Literal, triples[i][2]).datatype not in (None, XSD.string)]
    relations = [i for i, (_, p, _) in enumerate(triples) if p != RDF.type]  # a relation's one object
    values = next((found for found in (typed, stated, literals, relations) if found), [])
    if len(values) != 1:
        shown = ", ".join(sorted({_short(triples[i][1]) for i in values})) or "none"
        raise ReviewError(f"candidate {candidate_id} states {len(values)} values ({shown}); say which with --predicate")
    return values[0]


def _value_like(old: Node, text: str) -> Node:
    """``text`` as a node of the kind ``old`` is: a literal of the same datatype and language, or an IRI."""
    if isinstance(old, URIRef):
        return _iri(text, entity=True)
    if not isinstance(old, Literal):
        raise ReviewError("a blank node cannot be edited as a value; edit the candidate's entity instead")
    text = text.strip()
    if old.language:
        return Literal(text, lang=old.language)
    datatype = old.datatype
    if datatype in (XSD.decimal, XSD.double, XSD.float):
        try:
            number = Decimal(text.replace(",", "").replace("_", ""))
        except InvalidOperation:
            raise ReviewError(f"{text!r} is not a number (the value is an {_short(datatype)})") from None
        if not number.is_finite():
            raise ReviewError(f"{text!r} is not a finite number")
        lexical = format(number, "f")
        if datatype == XSD.decimal and "." not in lexical:
            lexical += ".0"
        return Literal(lexical, datatype=datatype)
    if datatype in (XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger, XSD.int, XSD.long):
        if not re.fullmatch(r"[+-]?\d+", text.replace(",", "")):
            raise ReviewError(f"{text!r} is not a whole number (the value is an {_short(datatype)})")
        return Literal(str(int(text.replace(",", ""))), datatype=datatype)
    patterns = {XSD.date: r"-?\d{4}-\d{2}-\d{2}", XSD.gYear: r"-?\d{4}", XSD.gYearMonth: r"-?\d{4}-\d{2}",
                XSD.gMonthDay: r"--\d{2}-\d{2}", XSD.boolean: r"true|false|1|0"}
    if datatype in patterns and not re.fullmatch(patterns[datatype], text):
        raise ReviewError(f"{text!r} is not an {_short(datatype)}")
    if datatype == XSD.date:
        from datetime import date

        try:
            date.fromisoformat(text)
        except ValueError:
            raise ReviewError(f"{text!r} is not a calendar date (YYYY-MM-DD)") from None
    return Literal(text, datatype=datatype)


def _iri(text: str, entity: bool = False) -> URIRef:
    """An IRI given whole, as ``prefix:local``, or (for an entity) as a bare local name under mcfid:."""
    value = text.strip().strip("<>")
    if re.match(r"^https?://\S+$", value):
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and re.fullmatch(r"[A-Za-z0-9_.\-/]+", local):
        return URIRef(PREFIXES[prefix] + local)
    if entity and re.fullmatch(r"[a-z0-9][a-z0-9\-]*", value):
        return Vocab().ID[value]
    raise ReviewError(f"{text!r} is not an IRI: give it whole (https://…), as prefix:local "
                      f"({', '.join(p + ':' for p in PREFIXES)}) or, for an entity, as its mcfid: name")


def _short(node: Node) -> str:
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            if node.startswith(namespace) and len(node) > len(namespace):
                return f"{prefix}:{node[len(namespace):]}"
        return f"<{node}>"
    return str(node)


def short_name(node: Node) -> str:
    """A node as people read it in the review: ``mcfid:mianyang``, ``"CNY"``, ``500000000.0``."""
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        if node.datatype is None or node.datatype == XSD.string:
            return f'"{node}"'
        return str(node)
    return _short(node)


def counts(extraction: Extraction) -> dict[str, int]:
    """How many candidates are pending, accepted and rejected."""
    tally: dict[str, int] = {status: 0 for status in STATUSES}
    for candidate in extraction.candidates:
        tally[candidate.status] = tally.get(candidate.status, 0) + 1
    return tally




# --- the review file, changed in place ----------------------------------------------------------


@contextmanager
def _one_change(path: Path) -> Iterator[None]:
    """Changes to review files take turns (an exclusive lock on their folder), across processes: two
    reviewers clicking at once both see their change kept."""
    folder = path.resolve().parent
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def load(path: Path) -> Extraction:
    """The review file at ``path`` (:func:`mcfkg.extract.review_file.read_review`)."""
    from mcfkg.extract.review_file import read_review

    return read_review(path)


def save(extraction: Extraction, path: Path) -> None:
    """Write the review file all at once (a crash leaves the old one or the new one, never half)."""
    from mcfkg.extract.review_file import write_review
    from mcfkg.sources.document import write_atomically

    with tempfile.TemporaryDirectory(prefix="mcfkg-review-") as folder:
        scratch = Path(folder) / path.name
        write_review(extraction, scratch)
        data = scratch.read_bytes()
    write_atomically(path, data)


def change(path: Path, how: Callable[[Extraction], T]) -> T:
    """Read the review file, apply ``how`` to it and write it back, with no other change in between;
    what ``how`` returned. When ``how`` raises, the file is left as it was."""
    with _one_change(path):
        extraction = load(path)
        outcome = how(extraction)
        save(extraction, path)
    return outcome


__all__ = [
    "ReviewError", "candidate_ids", "change", "edit", "find", "load", "save", "select", "set_status",
]
