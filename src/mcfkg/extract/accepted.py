"""The accepted candidates of a review as one source, and SHACL on it with the whole graph.

:func:`accepted_source` is what gets ingested: the accepted candidates' triples in the fact graph of
their sentence ``mcfg:<source>/pP/sS`` (each declared ``a mcf:FactGraph ; prov:wasDerivedFrom`` its
passage in ``mcfg:<source>``), the source document, and a passage only for each sentence with an
accepted fact; the review graph and every pending or rejected candidate stay out. :func:`check`
validates it with the whole graph exactly as ``mcfkg ingest`` would, and says beside which
candidates each result belongs (:class:`Violation`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from mcfkg.config import Settings
from mcfkg.extract.model import Candidate, Extraction, Sentence
from mcfkg.extract.review import (
    DCTERMS,
    FOAF,
    PREFIXES,
    PROV,
    SCHEMA,
    ReviewError,
    candidate_ids,
    document_iri,
    fact_graph_iri,
    passage_iri,
)
from mcfkg.graph import rebase
from mcfkg.vocab import CANONICAL_BASE, Vocab

EXCERPT_WORDS, EXCERPT_CHARS = 6, 60  # mcfsh:PassageShape: one short phrase, never the sentence


@dataclass(frozen=True)
class Violation:
    """One SHACL result on the accepted set with the existing graph, and the candidates it concerns.

    ``focus`` is the focus node's IRI under the canonical base (or its text), ``focus_label`` its
    label; ``candidates`` the ids of the accepted candidates whose triples mention the focus node (all
    the accepted candidates of a sentence when the focus is its passage or fact graph; none when it is
    the source document or nothing of the source)."""

    focus: str
    focus_label: str
    path: str
    value: str
    message: str
    severity: str
    candidates: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {"focus": self.focus, "focus_label": self.focus_label, "path": self.path, "value": self.value,
                "message": self.message, "severity": self.severity, "candidates": list(self.candidates)}


def accepted_source(extraction: Extraction) -> Dataset:
    """The accepted candidates as one source in the project's conventions (module docstring), ready for
    ``mcfkg ingest``: under the canonical base, as every file of data/ is written."""
    vocab = Vocab()
    ds = Dataset()
    for prefix, namespace in PREFIXES.items():
        ds.bind(prefix, namespace)
    source_graph = ds.graph(vocab.GRAPH[extraction.source_id])
    for triple in document_triples(extraction):
        source_graph.add(triple)
    accepted = [c for c in extraction.candidates if c.status == "accepted"]
    sentences: dict[tuple[int, int], list[Candidate]] = {}
    for candidate in accepted:
        sentences.setdefault((candidate.sentence.paragraph, candidate.sentence.number), []).append(candidate)
    for candidates in sentences.values():
        sentence = candidates[0].sentence
        facts = fact_graph_iri(extraction, sentence)
        graph = ds.graph(facts)
        for candidate in candidates:
            for triple in candidate.triples:
                graph.add(triple)
        passage = passage_iri(extraction, sentence)
        source_graph.add((facts, RDF.type, vocab.MCF.FactGraph))
        source_graph.add((facts, PROV.wasDerivedFrom, passage))
        for triple in passage_triples(extraction, sentence, candidates):
            source_graph.add(triple)
    return ds


def document_triples(extraction: Extraction) -> Graph:
    """The source document as the article's metadata describes it (what was given, nothing guessed)."""
    vocab = Vocab()
    article = extraction.article
    doc = document_iri(extraction)
    graph = Graph()
    for kind in (vocab.MCF.SourceDocument, PROV.Entity, FOAF.Document):
        graph.add((doc, RDF.type, kind))
    graph.add((doc, RDFS.label, Literal(article.title, lang=article.language)))
    graph.add((doc, DCTERMS.title, Literal(article.title, lang=article.language)))
    graph.add((doc, DCTERMS.language, Literal(article.language)))
    if article.publisher is not None:
        graph.add((doc, DCTERMS.publisher, article.publisher))
        graph.add((doc, PROV.wasAttributedTo, article.publisher))
    if article.url:
        graph.add((doc, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI)))
    stated = False
    if article.published is not None:
        graph.add((doc, DCTERMS.issued, Literal(article.published.isoformat(), datatype=XSD.date)))
        digits = re.sub(r"[^0-9]", "", article.url or "")
        if article.published.strftime("%Y%m%d") in digits:
            graph.add((doc, vocab.MCF.dateEstablishedBy, vocab.MCF.dateFromUrlPath))
        else:  # given with the article and not in its address: taken as stated by the document
            graph.add((doc, vocab.MCF.dateEstablishedBy, vocab.MCF.dateStatedInText))
            stated = True
    graph.add((doc, vocab.MCF.dateStated, Literal(stated)))
    return graph


def passage_triples(extraction: Extraction, sentence: Sentence, accepted: Sequence[Candidate]) -> Graph:
    """One sentence's passage: its locator, the document it is part of, and a short excerpt (the words
    of its first accepted candidate's evidence, at most six words and 60 characters)."""
    vocab = Vocab()
    passage = passage_iri(extraction, sentence)
    graph = Graph()
    graph.add((passage, RDF.type, vocab.MCF.Passage))
    where = "headline" if sentence.paragraph == 0 else f"paragraph {sentence.paragraph}"
    graph.add((passage, RDFS.label, Literal(f"{_short_title(extraction)}, {where}, sentence {sentence.number}",
                                             lang="en")))
    graph.add((passage, DCTERMS.isPartOf, document_iri(extraction)))
    graph.add((passage, vocab.MCF.paragraph, Literal(sentence.paragraph)))
    graph.add((passage, vocab.MCF.sentence, Literal(sentence.number)))
    excerpt = excerpt_of(sentence, accepted)
    if excerpt:
        graph.add((passage, vocab.MCF.excerpt, Literal(excerpt)))
    return graph


def excerpt_of(sentence: Sentence, candidates: Sequence[Candidate]) -> str:
    """A short phrase of the sentence (never the sentence): the first evidence's words, cut to fit."""
    for candidate in candidates:
        for span in candidate.evidence:
            words = span.text.split()
            if not words:
                continue
            phrase = " ".join(words[:EXCERPT_WORDS])
            while len(phrase) > EXCERPT_CHARS and " " in phrase:
                phrase = phrase.rsplit(" ", 1)[0]
            if len(phrase) <= EXCERPT_CHARS:
                return phrase
    return ""


def _short_title(extraction: Extraction) -> str:
    title = extraction.article.title.strip()
    return title if len(title) <= 60 else title[:57].rsplit(" ", 1)[0] + " …"


def source_trig(extraction: Extraction) -> bytes:
    """:func:`accepted_source` as the TriG file ``mcfkg ingest`` reads."""
    header = (f"# The accepted candidates of the review of {extraction.source_id} (`mcfkg review … ingest`).\n")
    return header.encode() + accepted_source(extraction).serialize(format="trig", encoding="utf-8")


# --- SHACL on the accepted set with the existing graph --------------------------------------------


def check(extraction: Extraction, settings: Settings, same_as: Sequence[str] = ()) -> list[Violation]:
    """Validate the accepted source together with the whole graph, as ``mcfkg ingest`` does (the same
    files minus an earlier version of this source, the same reasoning and shapes): every violation, and
    the warnings and notes about the source's own nodes, each with the candidates it concerns.

    ``same_as`` (``NEW=EXISTING``, as ``mcfkg ingest --same-as``) rewrites new entities first.
    """
    from mcfkg.build import load_and_reason, validate_dataset
    from mcfkg.graph import source_files
    from mcfkg.sources.reconcile import DecisionError, parse_iri

    source = accepted_source(extraction)
    rewrite: dict[Node, Node] = {}
    for pair in same_as:
        new, sep, old = pair.partition("=")
        if not sep:
            raise ReviewError(f"--same-as {pair!r}: write it as NEW=EXISTING")
        try:
            rewrite[parse_iri(new)] = parse_iri(old)
        except DecisionError as exc:
            raise ReviewError(str(exc)) from None
    if rewrite:
        swapped = Dataset()
        for s, p, o, g in source.quads((None, None, None, None)):
            swapped.graph(g).add((rewrite.get(s, s), p, rewrite.get(o, o)))
        source = swapped
    target = settings.data_dir / "sources" / f"{extraction.source_id}.trig"
    with tempfile.TemporaryDirectory(prefix="mcfkg-review-check-") as folder:
        path = Path(folder) / f"{extraction.source_id}.trig"
        path.write_bytes(source.serialize(format="trig", encoding="utf-8"))
        files = [f for f in source_files(settings) if f != target] + [path]
        ds = load_and_reason(settings, files=files)
    report = validate_dataset(ds, settings)
    own = {rebase(n, settings.base_iri) for q in source.quads((None, None, None, None)) for n in q[:3]
           if isinstance(n, URIRef)}
    found = []
    for result in report.results:
        focus = result.focus
        mine = focus in own
        if result.severity != "Violation" and not mine:
            continue  # a warning about the existing graph alone, not about this source
        canonical_focus = rebase(focus, CANONICAL_BASE, settings.base_iri) if focus is not None else None
        found.append(Violation(
            focus=str(canonical_focus) if canonical_focus is not None else "",
            focus_label=result.focus_label, path=result.path, value=result.value or "", message=result.message,
            severity=result.severity, candidates=tuple(concerned(extraction, canonical_focus, rewrite))))
    return found


def concerned(extraction: Extraction, focus: Node | None, rewrite: dict[Node, Node] | None = None) -> list[str]:
    """The accepted candidates a result about ``focus`` belongs beside (see :class:`Violation`);
    ``rewrite`` the IRIs ``--same-as`` replaced before the check."""
    if focus is None or isinstance(focus, BNode):
        return []
    swap = rewrite or {}
    ids = candidate_ids(extraction)
    accepted = [(cid, c) for cid, c in zip(ids, extraction.candidates) if c.status == "accepted"]
    direct = [cid for cid, c in accepted
              if any(focus in (swap.get(s, s), swap.get(o, o)) for s, _, o in c.triples)]
    if direct:
        return direct
    for cid, c in accepted:  # the passage or the fact graph of a sentence: its accepted candidates
        if focus in (passage_iri(extraction, c.sentence), fact_graph_iri(extraction, c.sentence)):
            return [i for i, other in accepted if other.sentence == c.sentence]
    return []
