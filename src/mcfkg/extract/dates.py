"""Dates in a sentence: found by regular expressions, resolved against the publication date when known.

A curated source records a date only at the precision its text gives ("in 2017" is a year, not
2017-01-01 as a day) and never a date the text does not give. So every mention says how it was
resolved, and a mention that cannot be resolved keeps its words with ``value`` None:

- absolute dates ("April 28, 2018", "28 April 2018", "2018-04-28", "2018年4月28日", "April 2018",
  "in 2017") are read as written;
- dates without a year ("On April 18", "In January") fall in the publication year, or in the year
  before when that would put them after publication; a sentence in the future tense ("will open on
  May 20") keeps the publication year;
- "yesterday", "last year", "this month", "on Monday", "three weeks ago" count from the publication
  date; weekdays and "ago" go through dateparser, whose answer is checked (right weekday, within the
  stated distance of the publication date) and dropped when it does not fit;
- "recently", "lately", "in recent years" name no date: value None, whatever the publication date.

Without a publication date every relative mention has value None and the resolution "no publication
date to resolve against". dateparser never sees a phrase without ``RELATIVE_BASE`` set to the
publication date, so it cannot fill in today's date; it runs offline (it has no network code on this
path) with English only, so it never guesses a language.

A ``value`` at month precision is the month's first day, at year precision the year's first day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from mcfkg.extract.model import DateMention, Sentence, Span

Precision = Literal["day", "month", "year"]

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
         r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
MONTHS = {name: number for number, names in enumerate(
    ["jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
     "aug august", "sep sept september", "oct october", "nov november", "dec december"], start=1)
    for name in names.split()}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NO_PUBLICATION_DATE = "no publication date to resolve against"

_M = rf"(?P<month>\b{MONTH}\b)\.?"  # month names only capitalised: "may", "march" are verbs
_D = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
_Y = r"(?P<year>(?:1[89]|20)\d{2})(?!\d)(?![,.]\d)"
# Words before a date that say which part of it is meant; kept in the mention's span.
_PREP_WORDS = ("on in since by until till from to during before after through throughout as-of of for early "
               "late mid- the-end-of end-of the-beginning-of the-first-half-of the-second-half-of "
               "the-first-quarter-of the-second-quarter-of the-third-quarter-of the-fourth-quarter-of")


def _prep(words: str) -> str:
    """A group ``prep`` matching any of ``words`` (hyphens between words stand for spaces), first
    letter in either case, followed by white space (none after "mid-")."""
    alternatives = []
    for word in sorted(words.split(), key=len, reverse=True):
        text = word if word.endswith("-") else word.replace("-", " ")
        alternatives.append(f"[{text[0].upper()}{text[0]}]{re.escape(text[1:])}")
    return rf"(?P<prep>\b(?:{'|'.join(alternatives)}))(?:(?<=-)|\s+)"


_THE = [w for w in _PREP_WORDS.split() if w.startswith("the-")]
_PREP_WORDS += " " + " ".join(f"{p}-{w}" for p in ("by", "before", "until", "at", "in", "since", "from", "after")
                              for w in _THE)  # "by the end of 2020"
_PREP = f"(?:{_prep(_PREP_WORDS)})?"
_PREP_YEAR = _prep(_PREP_WORDS.replace("on ", ""))  # a bare year counts only after one of these
_PREP_MONTH = _prep("in since by until till from during before after early late mid- the-end-of end-of "
                    "the-beginning-of")
_FUTURE = re.compile(r"\b(?:will|shall|scheduled|upcoming|to be held|is set to|are set to)\b", re.IGNORECASE)
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

# (pattern, kind), tried in this order; a later match overlapping an earlier one is dropped.
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"{_PREP}(?<![\d-])(?P<year>\d{{4}})(?P<sep>[-/.])(?P<mnum>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})"
                r"(?![\d])"), "ymd"),
    (re.compile(r"(?P<year>\d{4})年(?P<mnum>\d{1,2})月(?:(?P<day>\d{1,2})[日号])?"), "ymd"),
    (re.compile(rf"{_PREP}{_M}\s+{_D},?\s+{_Y}"), "mdy"),
    (re.compile(rf"{_PREP}(?:the\s+)?{_D}\s+(?:of\s+)?{_M},?\s+{_Y}"), "mdy"),
    (re.compile(rf"{_PREP}{_M},?\s+{_Y}"), "my"),
    (re.compile(rf"{_PREP}{_M}\s+{_D}(?!,?\s+\d)"), "md"),
    (re.compile(rf"{_PREP}(?:the\s+)?{_D}\s+(?:of\s+)?{_M}(?!,?\s+\d)"), "md"),
    (re.compile(rf"{_PREP_MONTH}{_M}(?!\s*\d)"), "m"),
    (re.compile(r"(?<![\d-])(?P<year>(?:19|20)\d{2})\s*[-–]\s*(?P<year2>(?:19|20)\d{2})(?![\d])"), "years"),
    (re.compile(rf"{_PREP_YEAR}(?:the\s+year\s+)?(?<![\w.,])(?<!\d-){_Y}(?![\w%-])"
                r"(?!\s+(?!(?:was|has|its|this|thus|his|is|as)\b)[a-z][a-z-]*[a-rt-z]s\b)"), "y"),  # not "of 2000 firms"
    (re.compile(r"(?P<year>\d{4})年(?![\d月])"), "y"),
    (re.compile(r"\b(?P<rel>yesterday|today|tomorrow)\b", re.IGNORECASE), "rel-day"),
    (re.compile(r"\b(?P<rel>last|this|next)\s+(?P<unit>year|month|week)\b", re.IGNORECASE), "rel-unit"),
    (re.compile(r"\b(?:(?P<prep>[Oo]n|[Ll]ast|[Tt]his|[Nn]ext)\s+)?(?P<weekday>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"),
     "weekday"),
    (re.compile(r"\b(?P<count>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                r"(?P<unit>day|week|month|year)s?\s+ago\b", re.IGNORECASE), "ago"),
    (re.compile(r"\b(?:recently|lately|not long ago|the other day|in recent (?:years|months|days|weeks)"
                r"|a few (?:days|weeks|months|years) ago|some time ago)\b", re.IGNORECASE), "vague"),
]


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str
    match: re.Match[str]


def find_dates(sentence: Sentence, published: date | None) -> list[DateMention]:
    """The dates ``sentence`` mentions, in order, each resolved against ``published`` when needed."""
    text = sentence.text
    future = bool(_FUTURE.search(text))
    mentions = []
    for found in _find(text):
        for span, value, precision, resolution in _resolve(found, text, published, future):
            mentions.append(DateMention(span, value, precision, resolution))
    return mentions


def date_phrase_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text`` mentions a date, as ``(start, end)``: numbers there are days and years, not
    quantities (used by :mod:`mcfkg.extract.quantities`)."""
    return [(f.start, f.end) for f in _find(text) if f.kind != "vague"]


def _find(text: str) -> list[_Found]:
    taken: list[_Found] = []
    for pattern, kind in _PATTERNS:
        for m in pattern.finditer(text):
            if m.start() == m.end() or _named(text, m, kind):
                continue
            if any(m.start() < f.end and f.start < m.end() for f in taken):
                continue
            taken.append(_Found(m.start(), m.end(), kind, m))
    taken.sort(key=lambda f: f.start)
    # "On Monday, March 5": the date says which day; the weekday alone would name another.
    return [f for f, after in zip(taken, taken[1:] + [None])
            if not (f.kind == "weekday" and after and re.fullmatch(r",?\s*", text[f.end:after.start]))]


def _named(text: str, m: re.Match[str], kind: str) -> bool:
    """Whether a month and number without a preposition are part of a name ("Long March 5"): the word
    before them is capitalised but neither opens the sentence nor is a preposition."""
    if kind not in {"md", "my"} or m.groupdict().get("prep"):
        return False
    before = re.search(r"([A-Z][\w'’-]*)\s+$", text[:m.start()])
    if before is None:
        return False
    word_start = before.start(1)
    at_sentence_start = not text[:word_start].strip() or text[:word_start].rstrip()[-1] in ".!?\"“:"
    return not at_sentence_start and before.group(1) not in {"On", "In", "Since", "By", "Until", "From",
                                                             "During", "Before", "After"}


def _month(name: str) -> int:
    return MONTHS[name.lower()]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


Resolved = tuple[Span, date | None, Precision | None, str]


def _resolve(found: _Found, text: str, published: date | None, future: bool) -> list[Resolved]:
    m, kind = found.match, found.kind
    span = Span(found.start, found.end, text[found.start:found.end])
    phrase = span.text
    g = m.groupdict()

    def relative(value: date | None, precision: Precision, note: str = "") -> Resolved:
        if published is None:
            return span, None, precision, f"{NO_PUBLICATION_DATE}: '{phrase}'"
        if value is None:
            return span, None, precision, f"not a valid date: '{phrase}'"
        return span, value, precision, f"relative to the publication date {published.isoformat()}: '{phrase}'{note}"

    def invalid() -> Resolved:
        return span, None, None, f"not a valid date: '{phrase}'"

    if kind in {"ymd", "mdy"}:
        month = int(g["mnum"]) if g.get("mnum") else _month(g["month"])
        if kind == "ymd" and not g.get("day"):
            return [(span, _safe_date(int(g["year"]), month, 1), "month", "absolute")] if 1 <= month <= 12 \
                else [invalid()]
        value = _safe_date(int(g["year"]), month, int(g["day"]))
        return [(span, value, "day", "absolute")] if value else [invalid()]
    if kind == "my":
        return [(span, date(int(g["year"]), _month(g["month"]), 1), "month", "absolute")]
    if kind == "y":
        return [(span, date(int(g["year"]), 1, 1), "year", "absolute")]
    if kind == "years":
        first = Span(m.start("year"), m.end("year"), g["year"])
        second = Span(m.start("year2"), m.end("year2"), g["year2"])
        return [(first, date(int(g["year"]), 1, 1), "year", f"absolute, the first year of the range '{phrase}'"),
                (second, date(int(g["year2"]), 1, 1), "year", f"absolute, the last year of the range '{phrase}'")]
    if kind in {"md", "m"}:
        month = _month(g["month"])
        precision: Precision = "day" if kind == "md" else "month"
        if published is None:
            return [relative(None, precision)]
        day = int(g["day"]) if kind == "md" else 1
        year = published.year
        value = _safe_date(year, month, day)
        if value is None:
            return [relative(None, precision)]
        after = value > published if kind == "md" else (year, month) > (published.year, published.month)
        if after and future:
            return [relative(value, precision, f" (the sentence speaks of the future: kept in {year})")]
        if after:
            value = _safe_date(year - 1, month, day)
            return [relative(value, precision, f" (the year before: in {year} it would fall after publication)")]
        return [relative(value, precision)]
    if kind == "rel-day":
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[g["rel"].lower()]
        return [relative(published + timedelta(days=offset) if published else None, "day")]
    if kind == "rel-unit":
        step = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
        unit = g["unit"].lower()
        if unit == "week":
            return [(span, None, None, f"a week is not a day, month or year: '{phrase}' kept as a note"
                     + (f" (publication date {published.isoformat()})" if published else ""))]
        if published is None:
            return [relative(None, "year" if unit == "year" else "month")]
        if unit == "year":
            return [relative(date(published.year + step, 1, 1), "year")]
        index = published.year * 12 + published.month - 1 + step
        return [relative(date(index // 12, index % 12 + 1, 1), "month")]
    if kind == "weekday":
        return [_weekday(span, g, published)]
    if kind == "ago":
        return [_ago(span, g, published)]
    note = f"'{phrase}' names no date"
    if published is not None:
        note += f"; only that it is before the publication date {published.isoformat()}"
    return [(span, None, None, note)]


def _dateparser(phrase: str, published: date, prefer: str) -> date | None:
    """dateparser's reading of a relative phrase, counted from noon of the publication day."""
    # Imported here: most sentences have no relative date. dateparser ships no type hints.
    import dateparser  # type: ignore[import-untyped, unused-ignore]

    parsed = dateparser.parse(phrase, languages=["en"], settings={
        "RELATIVE_BASE": datetime.combine(published, time(12)), "PREFER_DATES_FROM": prefer,
        "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False})
    return parsed.date() if parsed else None


def _weekday(span: Span, g: dict[str, str | None], published: date | None) -> Resolved:
    phrase = span.text
    weekday = WEEKDAYS.index((g["weekday"] or "").lower())
    if published is None:
        return span, None, "day", f"{NO_PUBLICATION_DATE}: '{phrase}'"
    base = f"relative to the publication date {published.isoformat()} ({WEEKDAYS[published.weekday()].title()})"
    which = (g.get("prep") or "").lower()
    if which in {"", "on"} and weekday == published.weekday():
        return span, published, "day", f"{base}: '{phrase}' is the publication day itself"
    prefer = "future" if which == "next" else "past"
    asked = str(g["weekday"]) if which in {"", "on", "this"} else f"{which} {g['weekday']}"
    value = _dateparser(asked, published, prefer)
    distance = (value - published).days if value else None
    fits = value is not None and value.weekday() == weekday and distance is not None and (
        0 < distance <= 7 if prefer == "future" else -7 <= distance < 0)
    if not fits:
        return span, None, "day", f"{base}: '{phrase}' could not be resolved"
    return span, value, "day", f"{base}: '{phrase}', the {'next' if prefer == 'future' else 'last'} " \
                               f"{WEEKDAYS[weekday].title()} (dateparser)"


def _ago(span: Span, g: dict[str, str | None], published: date | None) -> Resolved:
    phrase = span.text
    unit = (g["unit"] or "").lower()
    precision: Precision = "day" if unit in {"day", "week"} else unit  # type: ignore[assignment]
    if published is None:
        return span, None, precision, f"{NO_PUBLICATION_DATE}: '{phrase}'"
    count_text = (g["count"] or "").lower()
    count = int(count_text) if count_text.isdigit() else _NUMBER_WORDS[count_text]
    value = _dateparser(f"{count} {unit}s ago" if count != 1 else f"1 {unit} ago", published, "past")
    days = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}[unit] * count
    if value is None or abs((published - value).days - days) > max(3, days * 0.02):
        return span, None, precision, f"relative to the publication date {published.isoformat()}: " \
                                      f"'{phrase}' could not be resolved"
    if precision == "month":
        value = value.replace(day=1)
    elif precision == "year":
        value = date(value.year, 1, 1)
    return span, value, precision, f"relative to the publication date {published.isoformat()}: '{phrase}' (dateparser)"
