"""What a review page shows: the candidates sentence by sentence, their triples as short linked
names, and the words of the sentence that produced them marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from rdflib import RDF, Literal, URIRef
from rdflib.term import Node

from mcfkg.extract import accepted, review
from mcfkg.extract.model import Candidate, Extraction, Sentence
from mcfkg.graph import rebase
from mcfkg.vocab import CANONICAL_BASE, Vocab
from mcfkg.web.prefixes import sparql_prologue
from mcfkg.web.templating import store_of, vocab_of

# --- what the page shows --------------------------------------------------------------------------


@dataclass
class Term:
    """One node of a triple as shown: its short name, a link to its page when the graph knows it (or
    it is an ontology term), the full IRI as a tooltip, and whether it is new to the graph."""

    text: str
    href: str | None = None
    title: str = ""
    new: bool = False
    literal: bool = False


@dataclass
class CandidateView:
    id: str
    anchor: str
    candidate: Candidate
    triples: list[tuple[Term, Term, Term]]
    results: list[accepted.Violation] = field(default_factory=list)

    @property
    def evidence(self) -> list[str]:
        return [span.text for span in self.candidate.evidence]


@dataclass
class SentenceView:
    sentence: Sentence
    anchor: str
    segments: list[tuple[str, bool]]  # the sentence's text in pieces, True where evidence marks it
    candidates: list[CandidateView]


def segments(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, marked) pieces, the spans (merged where they overlap) marked."""
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces, at = [], 0
    for start, end in merged:
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


def known_labels(request: Request, iris: set[str]) -> dict[str, str]:
    """Of ``iris`` (canonical), those the served graph describes, with an English label if it has one."""
    if not iris:
        return {}
    vocab = vocab_of(request)
    served = {str(rebase(URIRef(i), vocab.base)): i for i in iris}
    values = " ".join(f"<{i}>" for i in sorted(served))
    query = sparql_prologue(vocab, ("rdfs", "skos")) + (
        f"SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} "
        "OPTIONAL { GRAPH ?h { ?s rdfs:label|skos:prefLabel ?l } FILTER (LANGMATCHES(LANG(?l), \"en\")) } } GROUP BY ?s")
    found = {}
    for row in store_of(request).select(query).rows:
        iri = served.get(str(row.get("s")))
        if iri is not None:
            found[iri] = str(row.get("label") or "")
    return found


def term(node: Node, known: dict[str, str], vocab: Vocab) -> Term:
    if isinstance(node, Literal):
        return Term(review.short_name(node), literal=True)
    if not isinstance(node, URIRef):
        return Term(str(node))
    iri = str(node)
    text = review.short_name(node)
    ours = iri.startswith(CANONICAL_BASE)
    local = vocab.local_path(str(rebase(node, vocab.base))) if ours else None
    if iri in known:
        label = known[iri]
        return Term(label or text, local, f"{text} ({iri})" if label else iri)
    if iri.startswith(str(Vocab().MCF)):  # an ontology term: its page documents it
        return Term(text, local, iri)
    return Term(text, None, iri, new=iri.startswith(str(Vocab().ID)))


def view(request: Request, extraction: Extraction, results: list[accepted.Violation] | None = None) -> list[SentenceView]:
    """The candidates sentence by sentence, in the article's order, with the results beside them."""
    ids = review.candidate_ids(extraction)
    nodes = {str(n) for c in extraction.candidates for t in c.triples for n in t
             if isinstance(n, URIRef) and str(n).startswith(str(Vocab().ID))}
    known = known_labels(request, nodes)
    vocab = vocab_of(request)
    by_sentence: dict[tuple[int, int], list[CandidateView]] = {}
    for cid, candidate in zip(ids, extraction.candidates):
        triples = sorted(candidate.triples, key=lambda t: (t[1] != RDF.type, str(t[0]), str(t[1]), str(t[2])))
        shown = [(term(s, known, vocab), term(p, known, vocab), term(o, known, vocab)) for s, p, o in triples]
        mine = [r for r in results or [] if cid in r.candidates]
        by_sentence.setdefault((candidate.sentence.paragraph, candidate.sentence.number), []).append(
            CandidateView(cid, "c-" + cid.replace("/", "-"), candidate, shown, mine))
    sentences = []
    for sentence in sorted({c.sentence for c in extraction.candidates}, key=lambda s: (s.paragraph, s.number)):
        views = by_sentence[(sentence.paragraph, sentence.number)]
        spans = [(s.start, s.end) for v in views for s in v.candidate.evidence]
        sentences.append(SentenceView(sentence, f"p{sentence.paragraph}-s{sentence.number}",
                                      segments(sentence.text, spans), views))
    return sentences
