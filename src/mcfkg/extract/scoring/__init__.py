"""How good an extraction is: its candidates scored against a hand-annotated source, sentence by sentence.

The gold standard is a source in the project's conventions (``data/mianyang-mcf-article.trig``, the
invented articles' ``tests/data/extraction/gold/*.trig``): graph ``mcfg:<id>/pP/sS`` holds the facts
sentence S of paragraph P states, and graph ``mcfg:<id>`` the passages with their short excerpts. The
extraction's candidates are grouped by the sentence they came from; the union of a sentence's
candidate triples is compared with that sentence's gold graph, and **a candidate counts only in its
own sentence**: the right fact proposed for the wrong sentence is a false positive there and a miss
here. Rejected candidates are left out; pending and accepted ones are scored alike.

What is compared, in each sentence (both sides are read by the same functions, from the triples
alone, whatever ``kind`` a candidate claims):

- **entities**: the nodes a sentence introduces, i.e. that have an ``rdf:type`` in its graph
  (quantity nodes apart). An extracted node is the gold node with the same IRI (a name the gazetteer
  resolved) or, for a minted IRI, the gold node sharing a normalised label (``rdfs:label``,
  ``skos:altLabel``, ``skos:hiddenLabel``, ``skos:prefLabel``: case, punctuation, dashes and a
  leading "the" ignored). Fact nodes whose gold labels are editorial descriptions (a grant, an
  achievement, an expected outcome, a set, a conferral...) are aligned by structure instead: the
  unmatched extracted node of the same type in the same sentence whose relations agree most with
  the gold node's. Scored twice: by name alone, and by name and type (the same most specific
  class). An extracted node that is an entity the article introduced in another sentence and that
  this sentence mentions (its gold graph refers to it, or one of its labels is in the sentence's
  text) is a re-mention, neither right nor wrong. The extractor proposes no entity candidate for a
  name its gazetteer knows (``known``): such a gold entity counts as found, with the graph's type,
  where a candidate refers to its IRI, and is not expected where none does.
- **amounts**: every ``schema:MonetaryAmount`` as (value in base units, currency, bound), where the
  bound is ``exact`` (``schema:value``), ``lower-exclusive``/``lower-inclusive`` (``schema:minValue``
  with ``mcf:bound``), ``upper-exclusive``/``upper-inclusive`` (``schema:maxValue`` with
  ``mcf:maxBound``) or ``approximate`` (``mcf:approximateValue``); a range is its two bounds, each
  scored. All three must agree.
- **counts**: ``mcf:statedCount``, ``mcf:prizeCount`` and every ``schema:QuantitativeValue`` (a
  percentage or an area too), as (number, bound); the counted noun or unit is shown but not compared.
  **Lower bounds** is the subset of amounts and counts whose bound is a lower bound on the side
  considered (recall over the gold's, precision over the extraction's); **upper bounds and
  approximations** the same for ``upper-…`` and ``approximate``.
- **dates**: literals typed ``xsd:date``, ``xsd:gYearMonth``, ``xsd:gMonthDay``, ``xsd:gYear`` or
  ``xsd:dateTime``. An extracted date matches a gold date when it agrees on every component the
  gold states: the gold keeps "On March 3" as ``--03-03`` (the project never supplies a year the
  text does not give), so an extractor that resolved it to 2025-03-03 from the publication date
  is right, and one that says ``--03-03`` is right too; "recently" has no gold date, so a date
  proposed for it is a false positive.
- **relations**: triples whose object is a node (not ``rdf:type``, ``skos:inScheme`` or a label),
  after mapping the extraction's nodes to gold nodes as above (quantity nodes by their value) and
  writing a property and its ``owl:inverseOf`` one way (``fundedBy`` as ``funds``). Subject,
  property and object must all agree.

The misses and false positives are listed for the rows entities (name + type), amounts, counts, dates
and relations; the other rows count the same items again.

Sentences are identified by the gold passages' excerpts: an extracted sentence whose text contains a
gold passage's excerpt is that passage's sentence, whatever number the extractor gave it (a splitter
that numbers differently is reported in :attr:`Score.notes`, not punished twice); other sentences keep
their own (paragraph, number).
"""

from __future__ import annotations

from mcfkg.extract.scoring.model import (
    AMOUNTS,
    CONCEPTS,
    COUNTS,
    DATES,
    DESCRIBED,
    ENTITIES,
    ENTITY_NAMES,
    LISTED_ROWS,
    LOWER_BOUNDS,
    NAMED,
    RELATIONS,
    SCHEMA,
    SUMMARY_ROWS,
    TYPE_ROW,
    UPPER_OR_APPROXIMATE,
    Item,
    Score,
    Tally,
)
from mcfkg.extract.scoring.reading import extraction_graphs, normalise_label, passages, sentence_graphs
from mcfkg.extract.scoring.scorer import score

__all__ = [
    "AMOUNTS", "CONCEPTS", "COUNTS", "DATES", "DESCRIBED", "ENTITIES", "ENTITY_NAMES", "Item", "LISTED_ROWS",
    "LOWER_BOUNDS", "NAMED", "RELATIONS", "SCHEMA", "SUMMARY_ROWS", "Score", "TYPE_ROW", "Tally",
    "UPPER_OR_APPROXIMATE", "extraction_graphs", "normalise_label", "passages", "score", "sentence_graphs",
]
