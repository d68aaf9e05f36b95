"""Names in a sentence: the graph's known entities resolved to their IRIs, new ones proposed with a type.

**Known names** are found with spaCy's ``PhraseMatcher`` on ``spacy.blank("en")`` (a tokenizer only: no
trained English pipeline installs from PyPI, and none may be downloaded at run time). The matcher runs
over the sentence's words as :func:`mcfkg.extract.gazetteer.words` gives them (punctuation dropped, each
word normalised and plural-folded), with one pattern per name of the gazetteer, so case, hyphens,
spacing, quotes and plural "-s" do not matter. Chinese names are also found inside longer runs of
Chinese text. Of overlapping matches the longest wins.

**New names** are proposed by rules, each with the ontology class it implies and a confidence:

========================  ==========================================================  =====================
rule                      pattern                                                     class
========================  ==========================================================  =====================
``org/head``              capitalised words ending in an organisation word (Group,     Enterprise(Group),
                          Co., Ltd., Corporation, Institute, Academy, University,      ResearchInstitute,
                          Commission, Bureau, Administration, Ministry, Committee,     GovernmentAgency,
                          Center/Centre, Laboratory, Government...), or starting with  Government,
                          one and going on with "of ..." (Ministry of ...)             PartyOrgan
``place/zone``            ... Park, Zone (a zone for innovation-led development)       ScienceCity
``place/suffix``          capitalised words before City, Province, County, District    City, Province,
                          (the label without the suffix for City and Province)         AdministrativeArea
``place/science-city``    ... Science and Technology City, Sci-Tech City               ScienceCity
``place/in-known``        "in X, <known province>"                                      City
``plan/head``             a title with Plan, Program(me), Guideline(s), Opinions,      ImplementationPlan,
                          Decision, Measures                                           Guideline, Decision
``fund/head``             ... Fund                                                     Fund
``project/head``          ... Project                                                  Project
``award/head``            ... Award(s), Prize                                          Award
``product/model-code``    a model code such as C919, ARJ21-700, J-20                   Aircraft (before
                                                                                       "aircraft", ...) or
                                                                                       Product
``product/noun``          capitalised words before aircraft, system, platform, radar,  Product, Aircraft
                          satellite, drone, ...
``product/quoted``        a short capitalised name in quotation marks                  Product
========================  ==========================================================  =====================

A new name gets a minted IRI ``https://w3id.org/mcfkg/id/<slug>`` (:func:`mint_iri`), unique in the
extraction and not one the graph already uses; ``minted`` (one dict per extraction) maps each new name
(by :func:`~mcfkg.extract.gazetteer.name_key`) to its first :class:`Mention`, so a name met again, or
an acronym given in brackets after it, gets the same IRI. :func:`resolve_anaphora` resolves "the Plan",
"the Fund", "the Group" ... to the last such entity named before. :func:`propose_links` asks
Wikidata (or the endpoint configured for ``mcfkg link``), and GeoNames for places, for candidates,
only when called.
"""

from __future__ import annotations

from mcfkg.extract.entities.known import known_mentions, longest, matchable
from mcfkg.extract.entities.linking import LINKABLE, propose_links
from mcfkg.extract.entities.mentions import find_mentions, resolve_anaphora
from mcfkg.extract.entities.minting import mint_iri, reserve_iris, slugify, used_iris
from mcfkg.extract.entities.new_names import acronyms, minted_mentions, new_mentions, register

__all__ = ["LINKABLE", "acronyms", "find_mentions", "known_mentions", "longest", "matchable", "mint_iri", "minted_mentions", "new_mentions", "propose_links", "register", "reserve_iris", "resolve_anaphora", "slugify", "used_iris"]
