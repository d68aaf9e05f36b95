"""Find things by name: English or Chinese labels, alternative labels and the source's misspellings.

Ranking, best first: an exact match of a whole label, then a label starting with the query,
then the query's words as a phrase of a label (all of them, in order: "military-military"),
then all its words in any order, then the query as any part of a label, also with spaces and
punctuation ignored (how Chinese, written without spaces, matches: 发改委 in 国家发改委; and
"jiu zhou" finds Jiuzhou), then a fuzzy match (rapidfuzz, for typos such
as "Mianyng"). Within a tier, named things beat the source's passages, preferred labels beat
alternative ones, which beat hidden variants; then closer and shorter labels win. Fuzzy hits
are shown only when nothing matched as written. Each hit shows the label that matched and its
kind, so a search for "Miangyang" explains why Mianyang came up.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from rapidfuzz import fuzz
from rdflib import Literal, URIRef

from mcfkg.sparql.negotiation import HTML, SOLUTIONS, NotAcceptable, negotiate
from mcfkg.store import Store
from mcfkg.vocab import Vocab
from mcfkg.web.entity_view import Presenter
from mcfkg.web.errors import not_acceptable
from mcfkg.web.prefixes import sparql_prologue
from mcfkg.web.templating import render, store_of, vocab_of

MAX_QUERY_CHARS = 200
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
FUZZY_CUTOFF = 80.0
TIERS = ("exact", "prefix", "word", "all-words", "substring", "fuzzy")
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


@dataclass
class Results:
    """The hits shown (at most the limit asked for) and how many entities matched in all."""

    hits: list[Hit]
    total: int


def normalise(text: str) -> str:
    """Case- and width-insensitive form (NFKC folds full-width Latin typed with a Chinese IME)."""
    return unicodedata.normalize("NFKC", text).casefold().strip()


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\W_]+", text) if w]


def _compact(text: str) -> str:
    """``text`` without spaces and punctuation: names are spelt with and without them."""
    return "".join(_words(text)) or text


def match_tier(query: str, label: str) -> tuple[int, float] | None:
    """(tier, similarity) of ``label`` for ``query``, both normalised; None if it does not match."""
    if label == query:
        return 0, 100.0
    if label.startswith(query):
        return 1, fuzz.ratio(query, label)
    words, query_words = _words(label), _words(query)
    n = max(len(query_words), 1)
    spans = [words[i : i + n] for i in range(max(len(words) - n + 1, 1))]
    if query_words and query_words in spans:
        return 2, fuzz.ratio(query, label)
    if query_words and Counter(query_words) <= Counter(words):  # "military-military" needs the word twice
        return 3, fuzz.ratio(query, label)
    if query in label or _compact(query) in _compact(label):  # "jiu zhou", "Sky-eye": spacing differs
        return 4, fuzz.ratio(query, label)
    # A typo of the whole label, or of as many consecutive words of it as the query has ("Jiuzou").
    score = max(fuzz.ratio(query, span) for span in [label, *(" ".join(span) for span in spans)])
    return (5, score) if score >= FUZZY_CUTOFF else None


def _labels_query(vocab: Vocab) -> str:
    """Every label of every IRI we mint (things of other datasets, linked to, are not ours to list),
    and whether the IRI is a passage of the source (passages quote names, so they match them too)."""
    return sparql_prologue(vocab, ("rdfs", "skos", "mcf")) + (
        "SELECT ?s ?label ?kind ?passage WHERE {\n"
        '  VALUES (?p ?kind) { (rdfs:label "label") (skos:prefLabel "label") (skos:altLabel "alternative") (skos:hiddenLabel "variant") }\n'
        "  GRAPH ?g { ?s ?p ?label }\n"
        f'  FILTER(isIRI(?s) && isLiteral(?label) && STRSTARTS(STR(?s), "{vocab.base}"))\n'
        "  BIND(EXISTS { GRAPH ?tg { ?s a mcf:Passage } } AS ?passage)\n}"
    )


def search(store: Store, vocab: Vocab, text: str, limit: int) -> Results:
    """The best ``limit`` entities for ``text``, one hit per entity (its best-matching label)."""
    query = normalise(text)[:MAX_QUERY_CHARS]
    if not query:
        return Results([], 0)
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
        is_passage = isinstance(row["passage"], Literal) and row["passage"].toPython() is True
        key = (tier, is_passage, LABEL_KINDS.index(kind), -score, len(str(label)), str(subject))
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
    return Results(hits, len(best))


def _invalid(request: Request, media_type: str, q: str, message: str) -> Response:
    """A 400 in the form the results would have had: the search page with the message, or ``{"detail": ...}``."""
    headers = {"Vary": "Accept"}
    if media_type == HTML:
        response = render(request, "search.html", status_code=400, search_query=q, error=message, hits=[])
        response.headers.update(headers)
        return response
    return JSONResponse({"detail": message}, status_code=400, headers=headers)


def _parse_limit(limit: str) -> int | None:
    """The number of results asked for, or None unless it is a whole number from 1 to MAX_LIMIT
    (an empty field, as an empty form sends it, means the default)."""
    if not limit.strip():
        return DEFAULT_LIMIT
    try:
        value = int(limit)
    except ValueError:
        return None
    return value if 1 <= value <= MAX_LIMIT else None


@router.get("/search", summary="Find entities by English or Chinese name, alternative names and variants")
def search_route(
    request: Request,
    q: str = Query("", description=f"Name or part of a name, in English or Chinese (at most {MAX_QUERY_CHARS} characters)"),
    # A string, checked here, so that a bad value gets an answer in the negotiated format, not pydantic's text.
    limit: str = Query(str(DEFAULT_LIMIT), description=f"How many results to show: a whole number from 1 to {MAX_LIMIT}"),
    format: str | None = Query(None, description="html or json; otherwise the Accept header decides"),
) -> Response:
    try:
        media_type = negotiate(request.headers.get("accept"), None, SOLUTIONS, (HTML, "application/json"))
    except NotAcceptable as exc:
        raise not_acceptable(str(exc)) from exc
    if format in ("json", "html"):
        media_type = HTML if format == "html" else "application/json"
    if len(q) > MAX_QUERY_CHARS:
        return _invalid(request, media_type, q[:MAX_QUERY_CHARS], f"q is {len(q)} characters long; "
                        f"search with at most {MAX_QUERY_CHARS} characters (part of a name is enough).")
    count = _parse_limit(limit)
    if count is None:
        return _invalid(request, media_type, q, f"limit must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}; "
                        "results report the total number of matches, and a longer query narrows them.")
    results = search(store_of(request), vocab_of(request), q, count)
    headers = {"Vary": "Accept"}
    if media_type == HTML:
        response = render(request, "search.html", search_query=q, hits=results.hits, total=results.total)
        response.headers.update(headers)
        return response
    body = {"query": q, "total": results.total, "limit": count, "results": [asdict(h) for h in results.hits]}
    return JSONResponse(body, headers=headers)
