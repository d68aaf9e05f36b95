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

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rdflib import URIRef
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from mcfkg.extract.gazetteer import MCF, SCHEMA, Entry, Gazetteer, has_cjk, name_key, nlp, token_key, words
from mcfkg.extract.model import Mention, Sentence, Span
from mcfkg.vocab import CANONICAL_BASE, Vocab

if TYPE_CHECKING:
    from mcfkg.link.endpoint import SparqlClient
    from mcfkg.link.geonames import GeoNamesClient

ID = Vocab(CANONICAL_BASE).ID
SCHEMA_ADMIN_AREA = URIRef(SCHEMA + "AdministrativeArea")
SCHEMA_PLACE = URIRef(SCHEMA + "Place")
ORG = URIRef("http://www.w3.org/ns/org#Organization")
SKOS_CONCEPT = URIRef("http://www.w3.org/2004/02/skos/core#Concept")
MAX_NAME_WORDS = 30

# Classes whose instances are facts or descriptions rather than names a text uses ("great progress in
# military-civilian integration", a passage, an amount node), or whose labels are generic words that
# would match everywhere ("output", "technology", "military-civilian integration"): never matched.
UNMATCHED_CLASSES = tuple(MCF[name] for name in (
    "Achievement", "ExpectedOutcome", "StatedSet", "Grant", "AwardConferral", "SupplierRelationship",
    "SupportRelationship", "TechnologyTransfer", "ProductApplication", "EstablishmentEvent", "Initiative",
    "Strategy", "TargetRole", "Passage", "SourceDocument", "FactGraph", "CurationGraph", "LinkRecord",
    "EditorialTeam", "Indicator", "TransferableResource", "DevelopmentPriority", "IntegrationMechanism",
    "IntegrationModel", "DateMethod", "UrlMethod")) + (
    URIRef(SCHEMA + "StructuredValue"), URIRef(SCHEMA + "MonetaryAmount"), URIRef(SCHEMA + "QuantitativeValue"),
    URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme"), URIRef("http://www.w3.org/ns/prov#Person"))
# A label that describes an unnamed thing ("the research center (not named in the source)").
UNNAMED_LABEL = re.compile(r"^the\s|\bnot named\b", re.IGNORECASE)

# The word that ends (or starts) a name, lower case without a final ".", → (class, rule, confidence).
HEADS: dict[str, tuple[URIRef, str, float]] = {}
for _words, _cls, _rule, _conf in (
    ("group groups", MCF.EnterpriseGroup, "org/head", 0.8),
    ("co company ltd limited corporation corp inc holdings plc llc factory works", MCF.Enterprise, "org/head", 0.8),
    ("institute academy laboratory laboratories lab university college", MCF.ResearchInstitute, "org/head", 0.75),
    ("center centre", MCF.ResearchInstitute, "org/head", 0.55),
    ("commission bureau administration ministry office department agency authority council",
     MCF.GovernmentAgency, "org/head", 0.75),
    ("committee", MCF.GovernmentAgency, "org/head", 0.6),
    ("government", MCF.Government, "org/head", 0.7),
    ("park zone", MCF.ScienceCity, "place/zone", 0.5),
    ("city municipality", MCF.City, "place/suffix", 0.7),
    ("province", MCF.Province, "place/suffix", 0.75),
    ("county district prefecture", SCHEMA_ADMIN_AREA, "place/suffix", 0.6),
    ("fund", MCF.Fund, "fund/head", 0.75),
    ("project", MCF.Project, "project/head", 0.6),
    ("award awards prize prizes medal", MCF.Award, "award/head", 0.75),
):
    for _word in _words.split():
        HEADS[_word] = (_cls, _rule, _conf)
# Document heads: the title goes on after them ("Implementation Plan for the ... in X City").
DOCUMENT_HEADS: dict[str, tuple[URIRef, float]] = {
    "plan": (MCF.ImplementationPlan, 0.7), "program": (MCF.ImplementationPlan, 0.65),
    "programme": (MCF.ImplementationPlan, 0.65), "guideline": (MCF.Guideline, 0.65),
    "guidelines": (MCF.Guideline, 0.65), "opinions": (MCF.Guideline, 0.6), "decision": (MCF.Decision, 0.6),
    "measures": (MCF.PolicyDocument, 0.55), "outline": (MCF.PolicyDocument, 0.55),
}
ENTERPRISE_TAILS = {"co", "ltd", "limited", "inc", "corp", "company", "group", "plc", "llc"}
CONNECTORS = {"of", "for", "and", "&", "on"}
COMPLEMENT_CONNECTORS = CONNECTORS | {"the", "in", "to", "with", "at"}
LEADING_NOISE = {"the", "a", "an", "this", "these", "its", "their", "our", "his", "her", "in", "on", "at", "by",
                 "with", "from", "for", "of", "and", "recently", "meanwhile", "also", "both", "all", "each",
                 "based", "under", "after", "since", "as", "to", "through", "new", "later", "earlier", "today",
                 "yesterday", "currently", "previously", "moreover", "furthermore", "additionally", "however", "then",
                 "now", "last", "next", "that", "those", "during", "before", "when", "while", "so", "thus",
                 "therefore", "besides", "first", "finally", "overall", "besides", "together", "it", "they", "we"}
PRODUCT_NOUNS = {"aircraft": MCF.Aircraft, "airliner": MCF.Aircraft, "jet": MCF.Aircraft, "plane": MCF.Aircraft,
                 "helicopter": MCF.Aircraft, "drone": MCF.Aircraft, "uav": MCF.Aircraft, "airship": MCF.Aircraft,
                 "fighter": MCF.Aircraft, "system": MCF.Product, "platform": MCF.Product, "radar": MCF.Product,
                 "satellite": MCF.Product, "engine": MCF.Product, "missile": MCF.Product, "chip": MCF.Product,
                 "vehicle": MCF.Product, "robot": MCF.Product, "laser": MCF.Product, "device": MCF.Product}
MODEL_CODE = re.compile(r"(?<![\w-])(?:[A-Z]{1,5}-?\d{1,4}[A-Z]?(?:-\d{1,4})?|[A-Z][a-z]{2,12}-\d{1,4}[A-Z]?)(?![\w-])")
NOT_MODEL_CODES = re.compile(r"^(?:RMB|USD|CNY|HKD|EUR|GDP|COVID|G\d|No\d*|[A-Z]\d|Tier\d+|Phase\d+|Grade\d+|Level\d+)$",
                             re.IGNORECASE)
QUOTED = re.compile(r"[\"“‘']([A-Z0-9][^\"“”‘’']{1,60}?)[\"”’']")
ANAPHORS: dict[str, tuple[URIRef, ...]] = {
    "plan": (MCF.PolicyDocument,), "programme": (MCF.PolicyDocument,), "program": (MCF.PolicyDocument,),
    "fund": (MCF.Fund,), "project": (MCF.Project,), "group": (MCF.EnterpriseGroup, MCF.Enterprise), "company": (MCF.Enterprise,),
    "institute": (MCF.ResearchInstitute,), "academy": (MCF.ResearchInstitute,), "university": (MCF.ResearchInstitute,),
    "commission": (MCF.GovernmentAgency,), "bureau": (MCF.GovernmentAgency,), "ministry": (MCF.GovernmentAgency,),
    "administration": (MCF.GovernmentAgency,), "committee": (MCF.GovernmentAgency,),
    "center": (MCF.ResearchInstitute,), "centre": (MCF.ResearchInstitute,), "laboratory": (MCF.ResearchInstitute,),
    "government": (MCF.Government, MCF.GovernmentAgency),
    "zone": (MCF.Region, MCF.ScienceCity), "park": (MCF.Region, MCF.ScienceCity), "city": (MCF.City, MCF.ScienceCity),
    "province": (MCF.Province,),
}
ANAPHOR = re.compile(r"\b[Tt]he (?:(?:municipal|provincial|local|city|county|district|national|new|said) )?("
                     + "|".join(ANAPHORS) + r")\b", re.IGNORECASE)


# --------------------------------------------------------------------------- the known names
class _KnownMatcher:
    """The gazetteer's names as a spaCy PhraseMatcher over normalised words (built once per gazetteer)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.vocab = nlp().vocab
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        self.keys: dict[str, list[tuple[Entry, float]]] = {}
        self.cjk: list[tuple[str, Entry, float]] = []
        for entry in gazetteer.entries.values():
            if not matchable(entry, gazetteer):
                continue
            for name in entry.names:
                if UNNAMED_LABEL.search(name.text):
                    continue
                if has_cjk(name.text):
                    self.cjk.append((name.text, entry, name.confidence))
                keys = [key for _, _, key in words(name.text)]
                if not keys or len(keys) > MAX_NAME_WORDS:
                    continue
                joined = " ".join(keys)
                if joined not in self.keys:
                    self.keys[joined] = []
                    self.matcher.add(joined, [Doc(self.vocab, words=keys)])
                if all(e.iri != entry.iri for e, _ in self.keys[joined]):
                    self.keys[joined].append((entry, name.confidence))
                else:  # the same key twice for one entity: keep the better name's confidence
                    self.keys[joined] = [(e, max(c, name.confidence) if e.iri == entry.iri else c)
                                         for e, c in self.keys[joined]]

    def find(self, text: str) -> list[tuple[int, int, list[tuple[Entry, float]]]]:
        found_words = words(text)
        if not found_words:
            return []
        doc = Doc(self.vocab, words=[key for _, _, key in found_words])
        found = []
        for match_id, start, end in self.matcher(doc):
            key = self.vocab.strings[match_id]
            first, last = found_words[start][0], found_words[end - 1][1]
            found.append((first, _balanced(text, first, last), self.keys[key]))
        for name, entry, confidence in self.cjk:
            for variant in {name, unicodedata.normalize("NFKC", name)}:
                at = text.find(variant)
                while at >= 0:
                    found.append((at, at + len(variant), [(entry, confidence)]))
                    at = text.find(variant, at + 1)
        return found


def _balanced(text: str, start: int, end: int) -> int:
    """``end``, moved past the closing bracket of a name that opens one ("City (Mianyang)")."""
    piece = text[start:end]
    for opening, closing in ("()", "（）", "[]"):
        if piece.count(opening) > piece.count(closing) and text[end:end + 1] == closing:
            return end + 1
    return end


_MATCHERS: dict[int, tuple[Gazetteer, _KnownMatcher]] = {}


def _matcher(gazetteer: Gazetteer) -> _KnownMatcher:
    held = _MATCHERS.get(id(gazetteer))
    if held is None or held[0] is not gazetteer:
        held = (gazetteer, _KnownMatcher(gazetteer))
        _MATCHERS.clear()  # one gazetteer at a time is enough; do not keep old ones alive
        _MATCHERS[id(gazetteer)] = held
    return held[1]


def matchable(entry: Entry, gazetteer: Gazetteer) -> bool:
    """Whether an entity's names are looked for in text (not a fact node, passage or generic concept)."""
    if not entry.types:
        return False
    return not any(gazetteer.is_a(entry.iri, cls) for cls in UNMATCHED_CLASSES)


def _choose(candidates: list[tuple[Entry, float]]) -> tuple[Entry, float]:
    """One entity for a name several share: the best name; the confidence halved for the doubt."""
    ranked = sorted(candidates, key=lambda pair: (-pair[1], str(pair[0].iri)))
    entry, confidence = ranked[0]
    return entry, confidence if len(ranked) == 1 else round(confidence / 2, 2)


def known_mentions(sentence: Sentence, gazetteer: Gazetteer) -> list[Mention]:
    """The gazetteer's names in the sentence, the longest of overlapping ones."""
    text = sentence.text
    mentions = []
    for start, end, candidates in _matcher(gazetteer).find(text):
        entry, confidence = _choose(candidates)
        rule = "gazetteer/name" if len(candidates) == 1 else "gazetteer/ambiguous-name"
        mentions.append(Mention(Span(start, end, text[start:end]), entry.iri, entry.type or SKOS_CONCEPT,
                                entry.label, True, rule, confidence))
    return longest(mentions)


def longest(mentions: Iterable[Mention]) -> list[Mention]:
    """Of overlapping mentions the longest (then the earliest, then the known), in text order."""
    chosen: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (-(m.span.end - m.span.start), m.span.start, not m.known)):
        if all(mention.span.end <= other.span.start or mention.span.start >= other.span.end for other in chosen):
            chosen.append(mention)
    return sorted(chosen, key=lambda m: m.span.start)


# --------------------------------------------------------------------------- minting
def slugify(label: str) -> str:
    """``label`` as an IRI segment: ASCII letters and digits in lower case, words joined by ``-``."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]s\b", "s", ascii_text)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 60:
        slug = slug[:60].rsplit("-", 1)[0]
    return slug or "entity"


def used_iris(minted: dict, gazetteer: Gazetteer | None = None) -> set[URIRef]:
    """Every IRI minted so far in this extraction (and, with ``gazetteer``, the graph's own)."""
    used = {value.iri if isinstance(value, Mention) else value for value in minted.values()}
    return used | set(gazetteer.entries) if gazetteer is not None else used


def reserve_iris(minted: dict, iris: Iterable[URIRef]) -> None:
    """Record ``iris`` as taken in ``minted``, so :func:`mint_iri` never returns one: the source's own IRI
    (an entity named like the article would otherwise be minted onto the document that names it) and the
    graph's IRIs that have no name, which the gazetteer does not list."""
    for iri in iris:
        minted["@" + str(iri)] = iri


def mint_iri(label: str, minted: dict, gazetteer: Gazetteer | None = None, *, reserve: bool = True) -> URIRef:
    """A new IRI ``mcfid:<slug of label>`` that neither the graph nor this extraction uses yet; with
    ``reserve`` it is recorded in ``minted`` (under ``"@<slug>"``) so no later call returns it again."""
    used = used_iris(minted, gazetteer)
    base = slugify(label)
    slug, n = base, 1
    while ID[slug] in used:
        n += 1
        slug = f"{base}-{n}"
    if reserve:
        minted["@" + slug] = ID[slug]
    return ID[slug]


# --------------------------------------------------------------------------- rules for new names
def _is_cap(token: Token) -> bool:
    text = token.text
    return bool(text) and (text[0].isupper() or (text[0].isdigit() and any(c.isalpha() for c in text)))


def _lower(token: Token) -> str:
    return token.text.lower().rstrip(".")


def _chunks(doc: Doc, blocked: set[int]) -> list[tuple[int, int]]:
    """Runs of capitalised words (with "of", "for", "and", "the", hyphens, "'s", "(...)" and "Co., Ltd."
    inside), as token ranges; a token in ``blocked`` (part of a known name) ends a run."""
    runs = []
    i, n = 0, len(doc)
    while i < n:
        if i in blocked or not _is_cap(doc[i]):
            i += 1
            continue
        j = i + 1
        while j < n and j not in blocked:
            t = doc[j]
            low = _lower(t)
            nxt = doc[j + 1] if j + 1 < n else None
            if _is_cap(t) or low in {"'s", "’s", "&"} or (t.text.isdigit() and "no" in {_lower(doc[j - 1]), _lower(doc[j - 2]) if j >= 2 else ""}):
                j += 1
            elif t.text == "." and _lower(doc[j - 1]) == "no" and nxt is not None and nxt.text.isdigit():
                j += 1  # "No. 7", which the tokenizer splits as "No" "." "7"
            elif t.text in {"-", "–"} and nxt is not None and nxt.is_alpha and j + 1 not in blocked:
                j += 2
            elif low in COMPLEMENT_CONNECTORS and nxt is not None and j + 1 not in blocked and (
                    _is_cap(nxt) or (_lower(nxt) == "the" and j + 2 < n and _is_cap(doc[j + 2]))):
                j += 1
            elif t.text == "(":
                close = next((k for k in range(j + 1, min(n, j + 6)) if doc[k].text == ")"), None)
                if close is None or any(k in blocked for k in range(j, close + 1)) or close == j + 1 or not all(
                        _is_cap(doc[k]) for k in range(j + 1, close)):
                    break
                if close == j + 2 and doc[j + 1].text.isupper() and doc[j + 1].text.lower() not in HEADS:
                    break  # an acronym in brackets follows the name: not part of it
                j = close + 1
            elif t.text == "," and nxt is not None and _lower(nxt).lstrip(",") in ENTERPRISE_TAILS:
                j += 1
            elif t.text.startswith(",") and _lower(t).lstrip(",") in ENTERPRISE_TAILS:
                j += 1
            else:
                break
        runs.append((i, j))
        i = j
    return runs


def _trim(doc: Doc, a: int, b: int) -> tuple[int, int]:
    """Without leading determiners and prepositions, and without trailing connectors and punctuation."""
    while a < b and (_lower(doc[a]) in LEADING_NOISE or not doc[a].text[0].isalnum()
                     or (a == 0 and _lower(doc[a]).endswith("ly") and b - a > 1)):  # "Initially, ..."
        a += 1
    while b > a and (_lower(doc[b - 1]) in COMPLEMENT_CONNECTORS | {"'s", "’s"} or doc[b - 1].text in {"-", ",", "("}):
        b -= 1
    return a, b


SPLITTERS = {"in", "to", "with", "at"}  # inside a document title only: elsewhere they end a name
COUNTRY_COMPLEMENT = re.compile(r"^of (?:the )?(?:people ?'?s republic of china|prc|china)\b")


def _proposals(doc: Doc, a: int, b: int) -> list[tuple[int, int, URIRef, str, float, str | None]]:
    """The new names in one run of capitalised words: (first token, end token, class, rule, confidence,
    label or None for the words themselves)."""
    a, b = _trim(doc, a, b)
    if b - a < 1:
        return []
    lows = [_lower(doc[k]) for k in range(a, b)]
    # A document title: its head comes early and its title runs to the end of the run.
    doc_head = next((k for k, low in enumerate(lows) if low in DOCUMENT_HEADS), None)
    if doc_head is not None and any(low in HEADS for low in lows[:doc_head]):
        doc_head = None  # "... Fund for the Plan": the plan is referred to, not named
    if doc_head is not None and (doc_head > 0 or b - a > 2):
        cls, confidence = DOCUMENT_HEADS[lows[doc_head]]
        return [(a, b, cls, "plan/head", confidence, None)]
    cut = next((k for k, low in enumerate(lows) if low in SPLITTERS or (
        low == "and" and k > 0 and (lows[k - 1].lstrip(",") in ENTERPRISE_TAILS or lows[k - 1] in HEADS)
        and k + 1 < len(lows) and lows[k + 1] == "the")), None)
    if cut is not None:
        return [*_proposals(doc, a, a + cut), *_proposals(doc, a + cut + 1, b)]
    return _named(doc, a, b, lows)


PURE_TAILS = {"co", "ltd", "limited", "inc", "corp", "plc", "llc"}


def _named(doc: Doc, a: int, b: int, lows: list[str]) -> list[tuple[int, int, URIRef, str, float, str | None]]:
    heads = [k for k, low in enumerate(lows) if low in HEADS]
    if not heads:
        return []
    # The head is the first one with a complement ("Academy of ...", "Awards of Sichuan Province"),
    # else the last ("Mianyang City Investment Group").
    split = next((k for k in heads if HEADS[lows[k]][1] == "place/suffix" and k + 1 < len(lows) and lows[k + 1] == "of"), None)
    if split is not None:  # "Qiaotou District of Baishui City": two places
        return [*_named(doc, a, a + split + 1, lows[: split + 1]), *_proposals(doc, a + split + 2, b)]
    head = next((k for k in heads if k + 1 < len(lows) and lows[k + 1] in {"of", "for", "on"}), heads[-1])
    rest: list[tuple[int, int, URIRef, str, float, str | None]] = []
    # Enterprise tails after the head: "(Group) Co., Ltd." belong to the name.
    end = head + 1
    while end < len(lows) and (lows[end].lstrip(",") in ENTERPRISE_TAILS or doc[a + end].text in {",", "(", ")"}):
        end += 1
    # The head's complement: "Ministry of Industry and Information Technology", up to "and the"
    # (another name) or "of the People's Republic of China" (the country, named on its own); not
    # "... Fund for the Plan" (a reference to a document named before).
    if end < len(lows) and lows[end] in {"of", "for", "on"} and not COUNTRY_COMPLEMENT.match(
            " ".join(lows[end:]).replace(" 's", "'s")) and not (
            len(lows) - end == 3 and lows[end + 1] == "the" and lows[end + 2] in ANAPHORS):
        stop = next((k for k in range(end + 1, len(lows) - 1) if lows[k] == "and" and lows[k + 1] == "the"), len(lows))
        end = stop
    first, last = _trim(doc, a, a + end)
    if last <= first:
        return rest
    # "... Electronics Group Co., Ltd." is a group: the class comes from the last head that is not a tail.
    typed = next((k for k in reversed(heads) if k <= head and lows[k] not in PURE_TAILS), head)
    cls, rule, confidence = HEADS[lows[typed]]
    if lows[typed] == "committee" and "party" in lows:
        cls, confidence = MCF.PartyOrgan, 0.65
    n_words = last - first
    if n_words < 2:  # "the Bureau", "Group": not a name
        return rest
    label = None
    if rule == "place/suffix" and cls in (MCF.City, MCF.Province) and last == a + head + 1:
        words_before = [doc[k].text for k in range(first, a + head)]
        if _science_city(lows[first - a: head + 1]):
            cls, rule, confidence = MCF.ScienceCity, "place/science-city", 0.7
        elif not 1 <= len(words_before) <= 3 or any(w.lower() in CONNECTORS for w in words_before):
            return rest
        else:
            label = doc[first: a + head].text
    elif rule == "place/suffix" and _science_city(lows[first - a: head + 1]):
        cls, rule, confidence = MCF.ScienceCity, "place/science-city", 0.7
    return [(first, last, cls, rule, confidence, label), *rest]


def _science_city(lows: Sequence[str]) -> bool:
    text = " ".join(lows)
    return bool(re.search(r"(science and technology|sci tech|sci-tech|science|technology) city$", text.replace(" - ", "-")))


def _span_of(doc: Doc, a: int, b: int, text: str) -> Span:
    start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
    return Span(start, end, text[start:end])


def new_mentions(sentence: Sentence, gazetteer: Gazetteer, minted: dict, known: Sequence[Mention]) -> list[Mention]:
    """The new names the rules propose in a sentence (see the module docstring), not overlapping ``known``
    except a known place they begin with ("Mianyang Science and Technology Bureau")."""
    text = sentence.text
    doc = nlp().tokenizer(text)
    by_char = {}
    for token in doc:
        for c in range(token.idx, token.idx + len(token.text)):
            by_char[c] = token.i
    blocked: set[int] = set()
    known_by_token: dict[int, Mention] = {}
    for mention in known:
        for c in range(mention.span.start, mention.span.end):
            if c in by_char:
                blocked.add(by_char[c])
                known_by_token[by_char[c]] = mention
    found: list[Mention] = []
    # Document titles may hold known names ("... in China Science and Technology City (Mianyang)").
    for a, b in _chunks(doc, set()):
        for first, last, cls, rule, confidence, label in _proposals(doc, a, b):
            if rule != "plan/head":
                continue
            covering = [m for m in known if m.span.start <= doc[first].idx and m.span.end >= _span_of(doc, first, last, text).end]
            if covering:
                continue
            found.append(_new(sentence, doc, first, last, cls, rule, confidence, label, gazetteer, minted))
    for a, b in _chunks(doc, blocked):
        for first, last, cls, rule, confidence, label in _proposals(doc, a, b):
            if rule == "plan/head":
                continue
            # A known place just before ("Mianyang" + "Science and Technology Bureau") begins the name.
            before = first - 1
            if before in known_by_token and cls not in (MCF.City, MCF.Province, SCHEMA_ADMIN_AREA) and \
                    gazetteer.class_is_a(known_by_token[before].type, SCHEMA_PLACE):
                place = known_by_token[before]
                while before - 1 in known_by_token and known_by_token[before - 1] is place:
                    before -= 1
                first = before
                confidence = round(confidence - 0.05, 2)
            found.append(_new(sentence, doc, first, last, cls, rule, confidence, label, gazetteer, minted))
    found.extend(_products(sentence, doc, blocked, gazetteer, minted))
    found.extend(_places_in_known(sentence, known, gazetteer, minted))
    return [m for m in found if m is not None]


def _new(sentence: Sentence, doc: Doc, first: int, last: int, cls: URIRef, rule: str, confidence: float,
         label: str | None, gazetteer: Gazetteer, minted: dict) -> Mention:
    span = _span_of(doc, first, last, sentence.text)
    label = _clean_label(label or span.text)
    return register(Mention(span, ID["_"], cls, label, False, f"rule:entity/{rule}", confidence), gazetteer, minted)


def _clean_label(label: str) -> str:
    label = re.sub(r"\s+", " ", label).strip()
    return re.sub(r"\s*-\s*", "-", label) if re.search(r"\w\s-\s\w", label) else label


TAILS = re.compile(r"[\s,]*(?:\((?:group|holdings)\)\s*)?(?:co\.?,?\s*ltd\.?|company limited|co\.?|ltd\.?|limited|inc\.?|"
                   r"corp\.?|plc|llc)$", re.IGNORECASE)


def register(mention: Mention, gazetteer: Gazetteer, minted: dict) -> Mention:
    """The mention with its IRI: the one minted before for the same name (with or without "Co., Ltd."),
    else a new one (recorded under both)."""
    keys = [name_key(mention.label)]
    short = TAILS.sub("", mention.label).strip()
    if short and short != mention.label and len(short.split()) > 1:
        keys.append(name_key(short))
    earlier = next((minted[k] for k in keys if isinstance(minted.get(k), Mention)), None)
    if earlier is not None:
        for key in keys:
            minted.setdefault(key, earlier)
        return replace(mention, iri=earlier.iri, type=earlier.type, label=earlier.label)
    iri = mint_iri(mention.label, minted, gazetteer, reserve=False)
    mention = replace(mention, iri=iri)
    for key in keys:
        minted[key] = mention
    return mention


def _products(sentence: Sentence, doc: Doc, blocked: set[int], gazetteer: Gazetteer, minted: dict) -> list[Mention]:
    text = sentence.text
    found = []
    blocked_chars = {c for token in doc if token.i in blocked for c in range(token.idx, token.idx + len(token.text))}
    for match in MODEL_CODE.finditer(text):
        code = match.group(0)
        if NOT_MODEL_CODES.match(code.replace("-", "")) or not any(c.isdigit() for c in code) or \
                any(c in blocked_chars for c in range(match.start(), match.end())) or re.fullmatch(r"\d+", code):
            continue
        after = text[match.end(): match.end() + 60].lower()
        noun = next((n for n in re.findall(r"[a-z]+", after)[:4] if n.rstrip("s") in PRODUCT_NOUNS), None)
        cls = PRODUCT_NOUNS[noun.rstrip("s")] if noun else MCF.Product
        found.append(register(Mention(Span(match.start(), match.end(), code), ID["_"], cls, code, False,
                                      "rule:entity/product/model-code", 0.6 if noun else 0.45), gazetteer, minted))
    # "Wing Loong drone": capitalised words right before a product noun.
    for token in doc:
        low = token.text.lower().rstrip("s")
        if low not in PRODUCT_NOUNS or token.i == 0 or token.i in blocked or _is_cap(token):
            continue
        k = token.i
        while k - 1 >= 0 and (k - 1) not in blocked and (_is_cap(doc[k - 1]) or doc[k - 1].text == "-") and \
                _lower(doc[k - 1]) not in LEADING_NOISE:
            k -= 1
        if k == token.i or not doc[k].text[0].isupper() or token.i - k > 4:
            continue
        if any(m.span.start <= doc[k].idx < m.span.end for m in found):
            continue
        span = _span_of(doc, k, token.i, text)
        if _lower(doc[token.i - 1]) in HEADS or _lower(doc[token.i - 1]) in DOCUMENT_HEADS:
            continue
        found.append(register(Mention(span, ID["_"], PRODUCT_NOUNS[low], _clean_label(span.text), False,
                                      "rule:entity/product/noun", 0.5), gazetteer, minted))
    for match in QUOTED.finditer(text):
        name = match.group(1).strip()
        if len(name.split()) > 6 or any(c in blocked_chars for c in range(match.start(1), match.end(1))):
            continue
        if any(w.lower().rstrip(".") in DOCUMENT_HEADS for w in name.split()):
            continue
        found.append(register(Mention(Span(match.start(1), match.start(1) + len(name), name), ID["_"], MCF.Product,
                                      name, False, "rule:entity/product/quoted", 0.4), gazetteer, minted))
    return found


APPOSITIVE_CITY = re.compile(r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?),\s+(?:a|the)\s+(?:[\w-]+\s+)?city\s+(?:in|of)\b")
CITY_OF = re.compile(r"\bthe city of ([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")


def _places_in_known(sentence: Sentence, known: Sequence[Mention], gazetteer: Gazetteer, minted: dict) -> list[Mention]:
    """"in Deyang, Sichuan": a capitalised word after "in" followed by a known province is a city there;
    "Qingshan, a city in ..." and "the city of Qingshan" name a city."""
    text = sentence.text
    found = []
    taken = [(m.span.start, m.span.end) for m in known]
    for pattern, rule in ((APPOSITIVE_CITY, "place/appositive-city"), (CITY_OF, "place/city-of")):
        for match in pattern.finditer(text):
            a, b = match.start(1), match.end(1)
            if any(s < b and a < e for s, e in taken) or gazetteer.lookup(match.group(1)):
                continue
            found.append(register(Mention(Span(a, b, match.group(1)), ID["_"], MCF.City, match.group(1), False,
                                          f"rule:entity/{rule}", 0.65), gazetteer, minted))
    for mention in known:
        if not gazetteer.class_is_a(mention.type, MCF.Province):
            continue
        before = text[: mention.span.start]
        found_in = re.search(r"\bin ([A-Z][a-z]+(?: [A-Z][a-z]+)?),\s*$", before)
        if found_in and not gazetteer.lookup(found_in.group(1)):
            found.append(register(Mention(Span(found_in.start(1), found_in.end(1), found_in.group(1)), ID["_"], MCF.City,
                                          found_in.group(1), False, "rule:entity/place/in-known", 0.5), gazetteer, minted))
    return found


def acronyms(sentence: Sentence, mentions: Sequence[Mention], gazetteer: Gazetteer, minted: dict) -> dict[URIRef, str]:
    """New names followed by an acronym in brackets ("... Administration (SASTIND)"): IRI → acronym,
    and the acronym recorded in ``minted`` so later sentences resolve it."""
    found = {}
    for mention in mentions:
        if mention.known:
            continue
        match = re.match(r"(\s+of (?:the )?[A-Z][\w'’ ]{0,40}?)?\s*\(([A-Z][A-Z0-9&]{1,9})\)",
                         sentence.text[mention.span.end:])
        if match and not gazetteer.lookup(match.group(2)) and _abbreviates(match.group(2), mention.label + (match.group(1) or "")):
            found[mention.iri] = match.group(2)
            minted.setdefault(name_key(match.group(2)), mention)
    return found


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether the letters of ``acronym`` are, in order, capitals (word initials) of ``name``."""
    capitals = iter(c for c in name if c.isupper())
    return all(letter in capitals for letter in acronym if letter.isalpha())


def minted_mentions(sentence: Sentence, minted: dict) -> list[Mention]:
    """Names minted in earlier sentences (or acronyms of them) met again in this one."""
    names = {key: value for key, value in minted.items() if isinstance(value, Mention) and not key.startswith("@")}
    if not names:
        return []
    found_words = words(sentence.text)
    longest_name = 12
    found = []
    for i in range(len(found_words)):
        key = ""
        for j in range(i, min(len(found_words), i + longest_name)):
            key += found_words[j][2]
            if key in names:
                start, end = found_words[i][0], found_words[j][1]
                earlier = names[key]
                found.append(replace(earlier, span=Span(start, end, sentence.text[start:end]),
                                     rule="rule:entity/minted-earlier", confidence=earlier.confidence))
    return found


def find_mentions(sentence: Sentence, gazetteer: Gazetteer, minted: dict) -> list[Mention]:
    """Every name in ``sentence``, in text order: known ones (``known`` True) and new ones; overlapping
    names resolve to the longest. ``minted`` is shared by all sentences of one extraction."""
    known = known_mentions(sentence, gazetteer)
    again = minted_mentions(sentence, minted)
    new = new_mentions(sentence, gazetteer, minted, known)
    chosen = longest([*known, *again, *new])
    acronyms(sentence, chosen, gazetteer, minted)
    return chosen


def resolve_anaphora(sentence: Sentence, mentions: Sequence[Mention], recent: Sequence[Mention],
                     gazetteer: Gazetteer) -> list[Mention]:
    """``mentions`` plus "the Plan", "the Fund", "the Group" ... resolved to the most recent entity of
    that kind in ``recent`` (earlier mentions, oldest first), at a lower confidence."""
    added = []
    for match in ANAPHOR.finditer(sentence.text):
        start, end = match.start(1), match.end(1)
        if any(m.span.start < end and start < m.span.end for m in mentions):
            continue
        nxt = sentence.text[end:end + 2]
        if nxt[:1].isalpha() or (nxt[:1] == " " and nxt[1:2].isupper()):
            continue  # part of a longer name
        if re.match(r"\s+(?:of|for|in|to|that|which)\b", sentence.text[end:]):
            continue  # "the project of the military ...": a description, not a reference back
        classes = ANAPHORS[match.group(1).lower()]
        antecedent = next((m for c in classes for m in reversed(recent) if gazetteer.class_is_a(m.type, c)), None)
        if antecedent is None:
            continue
        span = Span(match.start(), end, sentence.text[match.start():end])
        added.append(replace(antecedent, span=span, rule=f"rule:entity/anaphor/the-{match.group(1).lower()}",
                             confidence=0.6))
    return sorted([*mentions, *added], key=lambda m: m.span.start)


# --------------------------------------------------------------------------- optional linking
LINKABLE = (MCF.City, MCF.Province, MCF.Country, MCF.GovernmentAgency, MCF.Enterprise, MCF.ResearchInstitute,
            MCF.PoliticalParty, MCF.Aircraft, MCF.Award, MCF.ScienceCity, MCF.Region)


def propose_links(mentions: Sequence[Mention], gazetteer: Gazetteer, client: SparqlClient,
                  geonames: GeoNamesClient | None = None, limit: int = 3) -> list[Mention]:
    """The new mentions with ``links``: the Wikidata items (IRIs) that ``mcfkg link propose``'s ranking finds
    for names of a linkable class and, with ``geonames``, the GeoNames features it finds for places
    (subclasses of schema:Place), best first, leaving out candidates it would advise against. Only called
    on request (``mcfkg extract --link``): it asks ``client`` (a Wikidata-shaped SPARQL endpoint, such as
    the local stand-in ``mcfkg serve --data tests/data/wikidata-extract.ttl``) and ``geonames``. Raises
    :class:`mcfkg.link.endpoint.EndpointError` when either cannot be used."""
    from rdflib import Literal

    from mcfkg.link.candidates import propose, propose_places
    from mcfkg.link.local import Entity

    done: dict[URIRef, tuple[URIRef, ...]] = {}
    result = []
    for mention in mentions:
        wikidata = mention.type in LINKABLE
        place = geonames is not None and gazetteer.class_is_a(mention.type, SCHEMA_PLACE)
        if mention.known or not (wikidata or place):
            result.append(mention)
            continue
        if mention.iri not in done:
            local = str(mention.type).rsplit("/", 1)[-1]
            classes = [local] + (["Enterprise"] if local == "EnterpriseGroup" else [])
            entity = Entity(mention.iri, [Literal(mention.label, lang="en")], classes, place=place)
            found = propose(client, entity, {}, limit) if wikidata else []
            if place and geonames is not None:
                found += propose_places(geonames, entity, [], limit)
            done[mention.iri] = tuple(URIRef(c.target) for c in found if not c.doubts)
        result.append(replace(mention, links=done[mention.iri]))
    return result
