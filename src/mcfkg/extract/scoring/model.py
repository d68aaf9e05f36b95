"""What a score holds: one tally per row (found, missed, false), the items behind it, and the row names
reports show."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import RDFS, SKOS, XSD, Namespace

SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")

SentenceKey = tuple[int, int]

NAME_PREDICATES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
DATE_TYPES = (XSD.date, XSD.dateTime, XSD.gYear, XSD.gYearMonth, XSD.gMonthDay)
QUANTITY_TYPES = (SCHEMA.MonetaryAmount, SCHEMA.QuantitativeValue)
VALUE_PREDICATES = (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue)
# The ontology's own properties a quantity node's number and bounds are read from, by local name (under any base).
APPROXIMATE_VALUE, BOUND_WORDS = "approximateValue", ("bound", "maxBound")

# Row names, in the order reports show them.
ENTITIES = "entities (name + type)"
ENTITY_NAMES = "entities (name only)"
NAMED = "named: organisations, places, plans, funds, products, awards"
CONCEPTS = "concepts: sectors, fields, areas, indicators"
DESCRIBED = "fact nodes: grants, achievements, outcomes, sets"
AMOUNTS = "amounts (value + currency + bound)"
COUNTS = "counts (number + bound)"
LOWER_BOUNDS = "lower bounds (amounts and counts)"
UPPER_OR_APPROXIMATE = "upper bounds and approximations (amounts and counts)"
DATES = "dates"
RELATIONS = "relations"
SUMMARY_ROWS = (ENTITIES, NAMED, CONCEPTS, DESCRIBED, ENTITY_NAMES, AMOUNTS, COUNTS, LOWER_BOUNDS, UPPER_OR_APPROXIMATE, DATES,
                RELATIONS)
# The rows whose misses and false positives are listed (the others count the same items again).
LISTED_ROWS = (ENTITIES, AMOUNTS, COUNTS, DATES, RELATIONS)
TYPE_ROW = "entity type "  # prefix of the per-type rows: "entity type mcf:City"


@dataclass
class Tally:
    """True positives, false positives and false negatives of one row."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def extracted(self) -> int:
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return self.tp / self.extracted if self.extracted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def __iadd__(self, other: Tally) -> Tally:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self


@dataclass(frozen=True)
class Item:
    """One miss or false positive: where, in which row, what, and why when it is a near miss."""

    sentence: SentenceKey
    row: str
    text: str
    note: str = ""

    def __str__(self) -> str:
        p, s = self.sentence
        return f"p{p}/s{s} {self.row}: {self.text}" + (f" ({self.note})" if self.note else "")


@dataclass
class Score:
    """The rows' tallies, the misses and false positives, and notes on sentence alignment."""

    tallies: dict[str, Tally] = field(default_factory=dict)
    misses: list[Item] = field(default_factory=list)  # in the rows of LISTED_ROWS only
    false_positives: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __getitem__(self, row: str) -> Tally:
        return self.tallies.setdefault(row, Tally())

    def rows(self) -> list[str]:
        """Summary rows first (all of them, even empty), then one row per entity type, by name."""
        types = sorted(r for r in self.tallies if r.startswith(TYPE_ROW))
        return [*SUMMARY_ROWS, *types]

    def __iadd__(self, other: Score) -> Score:
        for row, tally in other.tallies.items():
            mine = self[row]
            mine += tally
        self.misses += other.misses
        self.false_positives += other.false_positives
        self.notes += other.notes
        return self
