"""The values extraction passes between its steps, and what a review file records about each candidate.

A **candidate** is one proposed fact (one or a few triples that only make sense together, such as a
grant with its amount node), tied to the sentence it came from, the words that produced it
(character offsets within the sentence), the rule or model that proposed it and a confidence.
In the review file each candidate is a named graph ``mcfg:<source>/pP/sS/cK`` holding its
triples; its review metadata sits in the graph ``mcfg:<source>/review`` (vocabulary ``mcfr:``,
``ontology/review.ttl``), which is never ingested. Accepting a candidate moves its triples into
the sentence's fact graph ``mcfg:<source>/pP/sS``, the project's convention for every source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from rdflib import URIRef
from rdflib.term import Node

Bound = Literal["exact", "lower-exclusive", "lower-inclusive", "upper-exclusive", "upper-inclusive", "approximate"]
Status = Literal["pending", "accepted", "rejected"]
Kind = Literal["entity", "amount", "count", "percentage", "area", "date", "relation"]


@dataclass(frozen=True)
class Span:
    """Characters ``start``..``end`` (end exclusive) of a sentence's text, and those characters."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    """One sentence: its paragraph (0 = headline) and number within the paragraph (from 1), its text,
    and where it starts in the article's text."""

    paragraph: int
    number: int
    text: str
    offset: int


@dataclass(frozen=True)
class Article:
    """An article as read: its title (the headline when the text has one), its sentences in order, and
    the metadata given on the command line (never guessed: None when not given)."""

    title: str
    sentences: tuple[Sentence, ...]
    url: str | None = None
    published: date | None = None
    publisher: URIRef | None = None
    language: str = "en"


@dataclass(frozen=True)
class Quantity:
    """A number found in a sentence, in base units (2.493 billion → 2493000000), never rounded.

    ``unit`` is an ISO 4217 code for money (``CNY``, ``USD``), ``"percent"``, ``"km2"``, or None for a
    count; ``what`` is the counted noun for a count ("projects"). ``bound`` keeps "more than 20" a
    lower bound (``lower-exclusive``), "about 40" an approximation; ``qualifier`` is the word that said so.
    ``currency_from_context`` is True when the currency was not written next to the number.
    """

    value: Decimal
    unit: str | None
    bound: Bound
    span: Span
    qualifier: str | None = None
    what: str | None = None
    currency_from_context: bool = False


@dataclass(frozen=True)
class DateMention:
    """A date found in a sentence: its value at the precision the text gives (``day``, ``month``,
    ``year``), or None when it cannot be resolved ("recently" without a publication date), and how it
    was resolved ("absolute", "relative to the publication date 2018-04-28: 'On April 18'")."""

    span: Span
    value: date | None
    precision: Literal["day", "month", "year"] | None
    resolution: str


@dataclass(frozen=True)
class Mention:
    """A name in a sentence: resolved to a known IRI (``known`` True) or proposed with a minted IRI and
    a type; ``links`` are Wikidata/GeoNames candidates (IRIs) for a new name that looks linkable."""

    span: Span
    iri: URIRef
    type: URIRef
    label: str
    known: bool
    rule: str
    confidence: float
    links: tuple[URIRef, ...] = ()


@dataclass
class Candidate:
    """One proposed fact of one sentence (see the module docstring)."""

    sentence: Sentence
    kind: Kind
    triples: list[tuple[Node, Node, Node]]
    evidence: list[Span]
    rule: str
    confidence: float
    status: Status = "pending"
    note: str | None = None


@dataclass
class Extraction:
    """Everything ``mcfkg extract`` found in one article: what the review file holds."""

    source_id: str
    article: Article
    candidates: list[Candidate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. dates that could not be resolved
