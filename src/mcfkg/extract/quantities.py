"""Amounts of money, counts, percentages and areas in a sentence, in base units and never rounded.

The graph states an amount in base units as ``xsd:decimal`` with an ISO 4217 currency, a count as an
integer of a named thing, a percentage or area as a decimal in the unit written; each exact, bounded or
approximate as the text says (``mcf:quantity`` in ``ontology/mcf.ttl``; the nodes are written by
:func:`mcfkg.extract.relations.quantity_node`). A candidate fact must be the same, so this module:

- reads the number exactly (``Decimal``, no float ever): "2.493 billion" is 2493000000, "100 million"
  (the Chinese 亿) 100000000, "8.1亿元" 810000000;
- names the currency ISO-wise: RMB, CNY, yuan, renminbi, ¥ and 元 are CNY; US$, USD, $ and (US) dollars
  USD; HK$ HKD; €, euros EUR; £ GBP; yen JPY. A bare "46.5 billion" takes the currency of the amounts
  before it (in the sentence, else ``context_currency``) and says so (``currency_from_context``);
- keeps a qualifier as a bound, never as an exact value: "more than", "over", "above", "exceeding"
  → ``lower-exclusive``; "at least", "no less than", "or more" → ``lower-inclusive``; "less than",
  "under", "below" → ``upper-exclusive``; "up to", "at most", "no more than" → ``upper-inclusive``;
  "nearly", "about", "around", "approximately", "some", "almost" → ``approximate``. A range
  ("between 20 and 30 projects", "RMB 2-3 billion") gives two quantities with one span, its lower and
  upper bound, in that order (one node in the graph);
- reports a count only with the noun it counts (``what`` is the noun phrase's head: "12 ... high-tech
  projects" → "projects"), number words up to ninety-nine and "a dozen" included;
- keeps percentages in percent ("15 percent", "15%" → 15 ``percent``; "percentage points" are
  ``percentage-point``) and areas in the unit written (``km2``, ``m2``, ``mu``, ``ha``, ``acre``; nothing
  is converted, mu (which has no UN/CEFACT code) least of all: the text's unit is the fact).

Not quantities: years ("in 2018"), dates ("April 28"), ordinals ("19th", "first"), durations ("three
years"), multiples ("2.5 times"), and numbers in names ("No. 1 Institute", "Document No. 7", "tier 1",
"C919", "J-20", "Long March 5", "Two Sessions").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from mcfkg.extract.dates import date_phrase_spans
from mcfkg.extract.model import Bound, Quantity, Sentence, Span

# Currencies written before the number, and after it; longest first within each alternation.
_PREFIX_CURRENCIES = {"US$": "USD", "US $": "USD", "U.S.$": "USD", "U.S. $": "USD", "HK$": "HKD", "RMB": "CNY",
                      "Rmb": "CNY", "rmb": "CNY", "CNY": "CNY", "USD": "USD", "HKD": "HKD", "EUR": "EUR",
                      "GBP": "GBP", "JPY": "JPY", "¥": "CNY", "￥": "CNY", "$": "USD", "€": "EUR", "£": "GBP"}
_SUFFIX_CURRENCIES = {"yuan": "CNY", "Yuan": "CNY", "renminbi": "CNY", "Renminbi": "CNY", "RMB": "CNY",
                      "CNY": "CNY", "元": "CNY", "US dollars": "USD", "U.S. dollars": "USD", "US dollar": "USD",
                      "U.S. dollar": "USD", "dollars": "USD", "USD": "USD", "Hong Kong dollars": "HKD",
                      "HK dollars": "HKD", "HKD": "HKD", "euros": "EUR", "euro": "EUR", "EUR": "EUR",
                      "yen": "JPY", "JPY": "JPY"}
_SCALES = {"hundred": 10**2, "thousand": 10**3, "million": 10**6, "mln": 10**6, "mn": 10**6,
           "billion": 10**9, "bln": 10**9, "bn": 10**9, "trillion": 10**12, "trn": 10**12, "tn": 10**12,
           "万": 10**4, "亿": 10**8}
_SHORT_SCALES = {"k": 10**3, "m": 10**6, "b": 10**9}  # "$3m", "¥8b": only right after a currency symbol
_BIG_SCALES = {"million", "mln", "mn", "billion", "bln", "bn", "trillion", "trn", "tn", "万", "亿"}

_QUALIFIERS: dict[str, Bound] = {}
for _bound, _words in {
    "lower-exclusive": ["more than", "over", "above", "in excess of", "exceeding", "greater than", "higher than",
                        "upwards of", "beyond"],
    "lower-inclusive": ["at least", "no less than", "not less than", "no fewer than", "not fewer than",
                        "a minimum of", "minimum of"],
    "upper-exclusive": ["less than", "under", "below", "fewer than", "lower than"],
    "upper-inclusive": ["up to", "at most", "no more than", "not more than", "a maximum of", "maximum of",
                        "not exceeding", "no greater than"],
    "approximate": ["-odd", "nearly", "about", "around", "approximately", "approx.", "approx", "some", "roughly",
                    "almost", "close to", "an estimated", "estimated", "circa", "around", "more or less"],
}.items():
    for _word in _words:
        _QUALIFIERS[_word] = _bound  # type: ignore[assignment]
_POSTFIX_QUALIFIERS: dict[str, Bound] = {
    "or more": "lower-inclusive", "or above": "lower-inclusive", "and above": "lower-inclusive",
    "or over": "lower-inclusive", "and more": "lower-inclusive", "or higher": "lower-inclusive",
    "or less": "upper-inclusive", "or below": "upper-inclusive", "and below": "upper-inclusive",
    "or fewer": "upper-inclusive", "or under": "upper-inclusive", "or lower": "upper-inclusive",
    "or so": "approximate"}

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUES = {word: n for n, word in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}


def _alternation(words: Iterable[str]) -> str:
    """A regular-expression alternation of ``words``, longest first (so "US$" wins over "$")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORD_NUMBER = (rf"(?:{_alternation(_TENS)})(?:[- ](?:{_alternation(_UNITS[1:10])}))?|{_alternation(_UNITS)}"
                r"|a dozen|dozen|a hundred|a thousand")
_NUMBER = re.compile(
    rf"(?P<digits>(?<![\d.,])(?<!\d,){_DIGITS})|(?P<words>\b(?:{_WORD_NUMBER})\b)"
    r"|(?P<a>\ban?\b(?=\s+(?:thousand|million|billion|trillion)\b))", re.IGNORECASE)
_NUMBER_ONLY = re.compile(rf"(?P<digits>{_DIGITS})|(?P<words>\b(?:{_WORD_NUMBER})\b)", re.IGNORECASE)

_CURRENCY_BEFORE = re.compile(rf"(?<![A-Za-z])(?P<cur>{_alternation(_PREFIX_CURRENCIES)})\s?\Z")
_QUALIFIER_BEFORE = re.compile(rf"(?<![\w-])(?P<qual>{_alternation(_QUALIFIERS)}|between|from)\s+\Z",
                               re.IGNORECASE)
_NAME_BEFORE = re.compile(
    r"(?:(?<![\w-])(?:no|nos|nr|number|tier|phase|type|article|section|chapter|level|grade|class|stage|batch|"
    r"round|version|line|block|zone|building|room|item|step|gate|terminal|route|unit|document|fig|figure|"
    r"table|vol|volume|page|paragraph|clause|annex|appendix|category|model|mark|series)\.?|#)\s*\Z",
    re.IGNORECASE)
_SCALE_AFTER = re.compile(rf"\s*(?P<scale>{_alternation(_SCALES)})(?![A-Za-z])", re.IGNORECASE)
_SHORT_SCALE_AFTER = re.compile(r"(?P<scale>[kmbKMB])(?![A-Za-z\d])")
_CURRENCY_AFTER = re.compile(rf"\s*(?P<cur>{_alternation(_SUFFIX_CURRENCIES)})(?![A-Za-z])")
_PERCENT_AFTER = re.compile(r"\s*(?:(?P<points>percentage points?)|%|％|percent\b|per cent\b|pct\b)",
                            re.IGNORECASE)
_AREAS = {"km2": r"square kilomet(?:er|re)s?\b|sq\.? ?km\b|km2|km²|km\^2",
          "m2": r"square met(?:er|re)s?\b|sq\.? ?m\b|sqm\b|m2\b|m²|m\^2",
          "mu": r"mu\b", "ha": r"hectares?\b|ha\b", "acre": r"acres?\b"}
_AREA_AFTER = re.compile(r"\s*(?:" + "|".join(f"(?P<{u}>{p})" for u, p in _AREAS.items()) + ")",
                         re.IGNORECASE)
_POSTFIX_AFTER = re.compile(rf"\s+(?P<post>{_alternation(_POSTFIX_QUALIFIERS)})\b", re.IGNORECASE)
_RANGE_AFTER = re.compile(r"\s*(?P<sep>-|–|—|to|and)\s*", re.IGNORECASE)
_WORD = re.compile(r" ?([A-Za-z][A-Za-z'’&-]*)")

# Words that end a counted noun phrase: prepositions, determiners, conjunctions and verbs.
_STOP = frozenset(
    "of for in on at with from to by into onto including include includes such as like across covering "
    "that which who whose where when while than per each was were is are be been being has have had will "
    "would can could may might shall should must do does did the a an this these those its their his her "
    "our your my respectively also both all were being it they he she we there here then now so but nor yet "
    "namely among between within without over under after before during since through about against "
    "toward towards via versus".split())
_NOT_PLURAL = frozenset(
    "overseas various numerous previous famous serious its his this was has is as us less across towards "
    "plus thus always perhaps sometimes besides unless whereas analysis basis crisis status campus chassis "
    "process business progress success access address class glass gas bus news series species".split())
_NOT_COUNTED = frozenset(
    "year years month months day days week weeks hour hours minute minutes second seconds decade decades "
    "century centuries time times fold percent point points".split())
_MONEY_NOUNS = frozenset(
    "investment investments output revenue revenues funding fund funds sales profit profits budget capital "
    "turnover gdp value worth income loans loan subsidies subsidy spending expenditure expenditures assets "
    "financing contracts contract orders order exports imports".split())
_CAPITALISED_OK = frozenset("In On At By For From With About Over Some Nearly Around Almost Approximately Up "
                            "More Less Only Just And Of To Under Above Below Among Including".split())


@dataclass
class _Parsed:
    start: int
    end: int
    value: Decimal
    unit: str | None
    bound: Bound
    qualifier: str | None
    what: str | None = None
    from_context: bool = False


def find_quantities(sentence: Sentence, context_currency: str | None = None) -> list[Quantity]:
    """The quantities ``sentence`` states, in order (see the module docstring).

    ``context_currency`` is the currency of the amounts before this sentence (the caller carries it
    along); amounts in the sentence itself pass theirs on to a later bare "46.5 billion".
    """
    text = sentence.text
    dates = date_phrase_spans(text)
    currency = context_currency
    found: list[Quantity] = []
    done = 0
    for m in _NUMBER.finditer(text):
        if m.start() < done or any(a <= m.start() < b for a, b in dates):
            continue
        parsed = _parse(text, m, currency)
        if not parsed:
            continue
        for p in parsed:
            found.append(Quantity(value=p.value, unit=p.unit, bound=p.bound, span=Span(p.start, p.end,
                                  text[p.start:p.end]), qualifier=p.qualifier, what=p.what,
                                  currency_from_context=p.from_context))
            if p.unit and len(p.unit) == 3 and p.unit.isupper():
                currency = p.unit
        done = max(p.end for p in parsed)
    return found


def _number_value(m: re.Match[str]) -> Decimal:
    if m.group("digits"):
        return Decimal(m.group("digits").replace(",", ""))
    if m.groupdict().get("a"):
        return Decimal(1)
    words = m.group("words").lower().replace("-", " ").split()
    if words[-1] == "dozen":
        return Decimal(12)
    if words[-1] in {"hundred", "thousand"}:
        return Decimal(100 if words[-1] == "hundred" else 1000)
    return Decimal(sum(_WORD_VALUES[w] for w in words))


def _plain(value: Decimal) -> Decimal:
    """``value`` without exponent or trailing zeros: 2.493 × 10⁹ is Decimal('2493000000')."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _at_sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?\"“‘'(:;—–-"


def _parse(text: str, m: re.Match[str], currency: str | None) -> list[_Parsed]:
    """The quantity (or the two bounds of a range) whose number ``m`` matched, or nothing."""
    start, end = m.start(), m.end()
    before = text[max(0, start - 60):start]
    is_digits = bool(m.group("digits"))
    # A number glued to letters or a hyphen is part of a name ("C919", "J-20", "Xingguang-3"), unless
    # the letters are a currency ("RMB500", "US$3.2").
    cur_match = _CURRENCY_BEFORE.search(before)
    if cur_match is None and start > 0 and (text[start - 1].isalpha() or text[start - 1] in "-/#:"):
        return []  # also "10:30", "1/3"
    if cur_match is None and _NAME_BEFORE.search(before):
        return []
    if m.group("words") and m.group("words")[0].isupper() and not _at_sentence_start(text, start):
        return []  # "the Two Sessions", "the Four Modernizations"
    prefix_currency = _PREFIX_CURRENCIES[cur_match.group("cur")] if cur_match else None
    lead = start - (len(before) - cur_match.start()) if cur_match else start
    qual_match = _QUALIFIER_BEFORE.search(text[max(0, lead - 40):lead])
    qualifier = qual_match.group("qual") if qual_match else None
    if qualifier and qualifier.lower() == "from":
        qualifier = None  # "from 20 to 30 percent" is a change, not a range
    if qual_match and qualifier:
        lead -= len(text[max(0, lead - 40):lead]) - qual_match.start()
    value = _number_value(m)
    pos = end
    half = re.search(r"(?<![\w-])half\s+\Z", text[max(0, lead - 10):lead], re.IGNORECASE) if m.group("a") else None
    if half:  # "half a billion yuan"
        value, lead = Decimal("0.5"), lead - (min(lead, 10) - half.start())
    odd = re.match(r"-odd\b", text[pos:])
    if odd and qualifier is None:  # "40-odd firms"
        qualifier, pos = "-odd", pos + odd.end()

    # A range: "20-30", "2 to 3 billion", "between 20 and 30"; "and" only after "between", and "from 20
    # to 30" is a change, not a range.
    second: Decimal | None = None
    separator = ""
    r = _RANGE_AFTER.match(text, pos)
    n2 = _NUMBER_ONLY.match(text, r.end()) if r else None
    if r and n2:
        separator = r.group("sep").lower()
        between = (qualifier or "").lower() == "between"
        from_ = qual_match is not None and qual_match.group("qual").lower() == "from"
        if (separator == "and" and between) or (separator == "to" and not from_) or (
                separator in {"-", "–", "—"} and is_digits and bool(n2.group("digits")) and not from_):
            second, pos = _number_value(n2), n2.end()
    if (qualifier or "").lower() == "between" and second is None:
        qualifier = None  # "between" and no second number: read the number alone
        lead = start - (len(before) - cur_match.start()) if cur_match else start

    if text[pos:pos + 1].isalpha() or (text[pos:pos + 1] == "-" and text[pos + 1:pos + 2].isalpha()):
        glued = _SCALE_AFTER.match(text, pos) or _AREA_AFTER.match(text, pos)
        short = _SHORT_SCALE_AFTER.match(text, pos) if prefix_currency else None
        if not glued and not short and not re.match(r"[亿万元]", text[pos:pos + 1]):
            return []  # "19th", "5G", "3D", "five-year", "T800"

    scale = Decimal(1)
    scale_words: list[str] = []
    for _ in range(2):
        s = _SCALE_AFTER.match(text, pos)
        if s and (not scale_words or _SCALES[s.group("scale").lower()] > _SCALES[scale_words[-1].lower()]):
            scale_words.append(s.group("scale"))
            scale *= _SCALES[s.group("scale").lower()]
            pos = s.end()
        else:
            break
    if not scale_words and prefix_currency:
        s = _SHORT_SCALE_AFTER.match(text, pos)
        if s:
            scale, pos = Decimal(_SHORT_SCALES[s.group("scale").lower()]), s.end()
            scale_words.append(s.group("scale"))

    unit: str | None = None
    from_context = False
    suffix = _CURRENCY_AFTER.match(text, pos)
    if suffix:
        unit, pos = _SUFFIX_CURRENCIES[suffix.group("cur")], suffix.end()
    if prefix_currency:
        unit = prefix_currency
    kind = "money" if unit else None
    if kind is None:
        pct = _PERCENT_AFTER.match(text, pos)
        area = _AREA_AFTER.match(text, pos)
        if pct:
            kind, unit, pos = "percentage", "percentage-point" if pct.group("points") else "percent", pct.end()
        elif area:
            unit = next(u for u in _AREAS if area.group(u))
            kind, pos = "area", area.end()

    bound: Bound = _QUALIFIERS[qualifier.lower()] if qualifier and qualifier.lower() != "between" else "exact"
    if qualifier is None:
        post = _POSTFIX_AFTER.match(text, pos)
        if post:
            qualifier, bound, pos = post.group("post"), _POSTFIX_QUALIFIERS[post.group("post").lower()], post.end()

    what: str | None = None
    if kind is None:
        noun, noun_end = _counted_noun(text, pos, value)
        bare_amount = bool(scale_words) and scale_words[0].lower() in _BIG_SCALES
        if bare_amount and currency and (noun is None or noun.lower() in _MONEY_NOUNS):
            kind, unit, from_context = "money", currency, True  # "an increase of 46.5 billion"
        elif noun is None or noun.lower() in _NOT_COUNTED:
            return []
        else:
            if is_digits and not scale_words and not qualifier and re.fullmatch(r"(?:19|20)\d\d", m.group(0)):
                return []  # a year: "2018 projects" is too rare to tell from "in 2018 companies"
            if not qual_match and not _at_sentence_start(text, start):
                name = re.search(r"([A-Z][\w'’&-]*)\s+\Z", text[max(0, start - 40):start])
                if name and name.group(1) not in _CAPITALISED_OK and not _at_sentence_start(text, start - len(name.group(0))):
                    return []  # "Long March 5 rocket", "Tianhe 2 supercomputer"
            if m.group("words") and m.group("words").lower() == "one":
                preceding = re.search(r"(\w+)\s+\Z", text[max(0, start - 20):start])
                if preceding and preceding.group(1).lower() in {"the", "this", "that", "no", "any", "every", "each"}:
                    return []
            kind, what, pos = "count", noun, noun_end

    if second is not None:  # the two bounds of the range, each with the words that made it one
        said = _said(qualifier or separator)
        return [_Parsed(lead, pos, _plain(value * scale), unit, "lower-inclusive", said, what, from_context),
                _Parsed(lead, pos, _plain(second * scale), unit, "upper-inclusive", said, what, from_context)]
    return [_Parsed(lead, pos, _plain(value * scale), unit, bound, _said(qualifier), what, from_context)]


def _said(qualifier: str | None) -> str | None:
    """The qualifier as the graph records it (``mcf:qualifier "over"@en``): lower case, single spaces."""
    return " ".join(qualifier.lower().split()) if qualifier else None


def _counted_noun(text: str, pos: int, value: Decimal) -> tuple[str | None, int]:
    """The head of the noun phrase at ``pos`` and where it ends: the first plural noun within six
    words ("12 military-civilian integration high-tech projects"), else the last word before a
    function word, verb or participle ("one key laboratory established by", "over 40 technology
    cooperation")."""
    words: list[tuple[str, int]] = []
    p = pos
    while len(words) < 6:
        w = _WORD.match(text, p)
        if not w or (p == pos and not text[p:p + 1].isspace()):
            break
        word = w.group(1)
        if word.lower() in _STOP and not (word.lower() in {"and", "or"}):
            break
        if word.lower() in {"and", "or"}:
            if not words:
                break
            p = w.end()
            words.append((word, -1))
            continue
        words.append((word, w.end()))
        p = w.end()
    real = [(word, end) for word, end in words if end >= 0]
    if not real:
        return None, pos
    if value != 1:
        for word, end in real:
            lower = word.lower()
            if (lower.endswith("s") and not lower.endswith("ss") and len(lower) > 3
                    and lower not in _NOT_PLURAL) or lower in {"people", "personnel", "staff", "children"}:
                return word, end
    head, head_end = real[0]
    for word, end in words[1:]:
        if end < 0 or word.lower().endswith(("ed", "ing")):
            break
        head, head_end = word, end
    return head, head_end
