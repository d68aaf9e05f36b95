"""Find things by name: English or Chinese labels, alternative labels and the source's misspellings.

Ranking, best first: an exact match of a whole label, then a label starting with the query,
then the query as a whole word of a label, then as any part of it, then a fuzzy match
(rapidfuzz, for typos such as "Mianyng"). Within a tier, preferred labels beat alternative
ones, which beat hidden variants; then closer and shorter labels win. Fuzzy hits are shown
only when nothing matched as written. Each hit shows the label that matched, so a search
for "Miangyang" explains why Mianyang came up.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from rapidfuzz import fuzz
from rdflib import Literal, URIRef

from mcfkg.sparql.negotiation import HTML, SOLUTIONS, NotAcceptable, negotiate
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web.errors import not_acceptable
from mcfkg.web.entity_view import Presenter
from mcfkg.web.prefixes import sparql_prologue
from mcfkg.web.templating import render, store_of, vocab_of

MAX_QUERY_CHARS = 200
FUZZY_CUTOFF = 80.0
TIERS = ("exact", "prefix", "word", "substring", "fuzzy")
LABEL_KINDS = ("label", "alternative", "variant")  # rdfs:label/skos:prefLabel, skos:altLabel, skos:hiddenLabel

router = APIRouter()


@dataclass
class Hit:
    """One entity found: how to show it, which label matched and how well."""

    iri: str
    href: str
    label: str
    label_lang: str | None
    matched: str
    matched_lang: str | None
    matched_kind: str
    match: str
    score: float


def normalise(text: str) -> str:
    """Case- and width-insensitive form (NFKC folds full-width Latin typed with a Chinese IME)."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text) if w]


def match_tier(query: str, label: str) -> tuple[int, float] | None:
    """(tier, similarity) of ``label`` for ``query``, both normalised; None if it does not match."""
    if label == query:
        return 0, 100.0
    if label.startswith(query):
        return 1, fuzz.ratio(query, label)
    words = _words(label)
    if all(w in words for w in _words(query)) and _words(query):
        return 2, fuzz.ratio(query, label)
    if query in label:
        return 3, fuzz.ratio(query, label)
    # A typo of the whole label, or of as many consecutive words of it as the query has ("Jiuzou").
    n = max(len(_words(query)), 1)
    spans = [" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))]
    score = max(fuzz.ratio(query, span) for span in [label, *spans])
    return (4, score) if score >= FUZZY_CUTOFF else None


def _labels_query(vocab: Vocab) -> str:
    """Every label of every IRI we mint (things of other datasets, linked to, are not ours to list)."""
    return sparql_prologue(vocab, ("rdfs", "skos")) + (
        "SELECT ?s ?label ?kind WHERE {\n"
        '  VALUES (?p ?kind) { (rdfs:label "label") (skos:prefLabel "label") (skos:altLabel "alternative") (skos:hiddenLabel "variant") }\n'
        "  GRAPH ?g { ?s ?p ?label }\n"
        f'  FILTER(isIRI(?s) && isLiteral(?label) && STRSTARTS(STR(?s), "{vocab.base}"))\n}}'
    )


def search(store: Store, vocab: Vocab, text: str, limit: int) -> list[Hit]:
    """The best ``limit`` entities for ``text``, one hit per entity (its best-matching label)."""
    query = normalise(text)[:MAX_QUERY_CHARS]
    if not query:
        return []
    rows = store.select(_labels_query(vocab)).rows
    labels: dict[URIRef, list[Literal]] = {}
    best: dict[URIRef, tuple[tuple[object, ...], Literal, str, int, float]] = {}
    for row in rows:
        subject, label, kind = row["s"], row["label"], str(row["kind"])
        if not isinstance(subject, URIRef) or not isinstance(label, Literal):
            continue  # the query asks for IRIs and literals only; this tells the type checker
        if kind == "label":
            labels.setdefault(subject, []).append(label)
        found = match_tier(query, normalise(str(label)))
        if found is None:
            continue
        tier, score = found
        key = (tier, LABEL_KINDS.index(kind), -score, len(str(label)), str(subject))
        if subject not in best or key < best[subject][0]:
            best[subject] = (key, label, kind, tier, score)
    # Typo matches help only when nothing matched as written ("Jiuzou"); otherwise they are noise.
    if any(entry[3] < TIERS.index("fuzzy") for entry in best.values()):
        best = {s: entry for s, entry in best.items() if entry[3] < TIERS.index("fuzzy")}
    presenter = Presenter(vocab, labels)
    hits = []
    for subject, (_, label, kind, tier, score) in sorted(best.items(), key=lambda item: item[1][0])[:limit]:
        link = presenter.link(subject)
        hits.append(
            Hit(
                str(subject),
                link.href,
                link.text,
                link.lang,
                str(label),
                label.language,
                kind,
                TIERS[tier],
                round(score, 1),
            )
        )
    return hits


@router.get("/search", summary="Find entities by English or Chinese name, alternative names and variants")
def search_route(
    request: Request,
    q: str = Query("", max_length=MAX_QUERY_CHARS, description="Name or part of a name, in English or Chinese"),
    limit: int = Query(20, ge=1, le=100),
    format: str | None = Query(None, description="html or json; otherwise the Accept header decides"),
) -> Response:
    try:
        media_type = negotiate(request.headers.get("accept"), None, SOLUTIONS, (HTML, "application/json"))
    except NotAcceptable as exc:
        raise not_acceptable(str(exc)) from exc
    if format in ("json", "html"):
        media_type = HTML if format == "html" else "application/json"
    hits = search(store_of(request), vocab_of(request), q, limit)
    headers = {"Vary": "Accept"}
    if media_type == HTML:
        response = render(request, "search.html", search_query=q, hits=hits)
        response.headers.update(headers)
        return response
    return JSONResponse({"query": q, "results": [asdict(h) for h in hits]}, headers=headers)
