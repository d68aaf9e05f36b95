"""Rules that propose new names with a type: capitalised chunks ending in an organisation, place,
plan or fund word, products and model codes, places beside known ones, acronyms."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rdflib import URIRef
from spacy.tokens import Doc, Token

from mcfkg.extract.entities.minting import mint_iri
from mcfkg.extract.entities.patterns import (
    ANAPHORS,
    COMPLEMENT_CONNECTORS,
    CONNECTORS,
    DOCUMENT_HEADS,
    ENTERPRISE_TAILS,
    HEADS,
    ID,
    LEADING_NOISE,
    MODEL_CODE,
    NOT_MODEL_CODES,
    PRODUCT_NOUNS,
    QUOTED,
    SCHEMA_ADMIN_AREA,
    SCHEMA_PLACE,
)
from mcfkg.extract.gazetteer import MCF, Gazetteer, name_key, nlp, words
from mcfkg.extract.model import Mention, Sentence, Span


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
