"""An article's text as paragraphs and sentences, numbered as the curated sources are numbered.

The project cites every fact by paragraph and sentence (``mcfg:<source>/pP/sS``): paragraph 0 is the
headline, the body's paragraphs follow from 1, a trailing "Source: ..." line is a paragraph of its own,
and sentences are numbered from 1 within each paragraph (``data/mianyang-mcf-article.trig``). Candidate
facts can only be cited that way if the splitter numbers a text exactly as a curator would, so the
rules here are written for press releases and checked against the first article's numbering.

Sentences are split by rules rather than by spaCy's ``sentencizer``: that splits after every "." token
its tokenizer does not know, and in these texts that is wrong too often ("No. 1 Institute", "approx.
2.4 billion", "etc. were"). The rules split after ".", "!", "?" or "..." followed by a space and
a capital, digit or opening quote, except after an abbreviation: titles ("Dr.", "Gen."), numbering
words before a number ("No. 7", "Apr. 28"), and company or place abbreviations ("Co., Ltd.", "U.S.")
unless a word that usually opens a sentence ("The", "It", "In", ...) follows.

Offsets: ``Sentence.offset`` is where the sentence starts in the text that was split, and
``text[offset:offset + len(sentence.text)] == sentence.text`` always holds (a sentence keeps its
line breaks). For a saved HTML page that text is :func:`html_text`'s, the page's main text with the
boilerplate (navigation, side bars, footer) removed by trafilatura, one paragraph per block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

from rdflib import URIRef

from mcfkg.extract.dates import MONTH
from mcfkg.extract.model import Article, Sentence

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
HEADLINE_MAX = 250  # characters; a longer first line is body text, not a headline
WRAP_WIDTH = 100  # a block whose lines are all at most this long is taken as hard-wrapped prose

# A line that names who wrote, edited or published the text: a paragraph of its own, never split.
ATTRIBUTION = re.compile(
    r"^\s*(?:sources?|editors?|reporters?|translators?|translated by|written by|authors?|photos? by|contact)"
    r"\s*[:：]", re.IGNORECASE)

# A line that is only a dateline ("MIANYANG, April 28 (Xinhua) --", "Apr 28, 2018", "Updated: 2018-04-28
# 09:30"): kept with the paragraph after it, so it stays in that paragraph's first sentence.
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (rf"(?:\b{MONTH}\b\.?\s+{_DAY}(?:,?\s+\d{{4}})?|{_DAY}\s+{MONTH}\b\.?(?:,?\s+\d{{4}})?|\b{MONTH}\b\.?\s+\d{{4}}"
         r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年\d{1,2}月(?:\d{1,2}日)?)")
DATELINE = re.compile(
    r"^\s*(?:(?:updated|published|posted|released?|release (?:time|date)|date|time)\s*[:：]\s*)?"
    r"(?:[A-Z][A-Za-z.'’ -]{1,40},\s*)?"  # the place, "MIANYANG, "
    r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
    rf"{_DATE}(?:,?\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
    r"\s*(?:\([^()\n]{1,40}\))?\s*(?:--|—|–|-|:)?\s*$", re.IGNORECASE)

# A sentence ends at ".", "!", "?", "..." or "…", with any closing quotes or brackets, before a space.
_END = re.compile(r"(\.{3}|…|[.!?]+)([\"'”’»)\]]*)(\s+)")
_OPENER = re.compile(r"[A-Z0-9\"'“‘(\[«\u4e00-\u9fff]")
_BULLET = re.compile(r"\n[ \t]*(?:[-•*·▪●◆]|\(?\d{1,2}[.)])[ \t]")

# Abbreviations after which a "." never ends a sentence (compared in lower case).
_ALWAYS = frozenset(
    "mr mrs ms messrs dr prof gen lt col maj capt cmdr cdr adm sgt gov pres rev hon st mt ft "
    "approx appr ca cf vs viz esp incl e.g i.e al".split())
# Abbreviations that precede a number ("No. 7", "Apr. 28", "Fig. 2"): no sentence ends before a digit.
_BEFORE_NUMBER = frozenset(
    "no nos nr art arts sec ch fig figs vol vols p pp para paras tel ext "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
# Abbreviations that may also end a sentence ("Co., Ltd.", "U.S.", "etc."): a sentence ends only if a
# word that typically opens one follows.
_AMBIGUOUS = frozenset("co corp inc ltd llc plc bros jr sr etc dept govt univ assn intl mfg".split())
_STARTERS = frozenset(
    "the this these that those it its it's they their there he his she her we our i in on at as by for "
    "from with without under after before during since following according meanwhile however also "
    "besides moreover furthermore additionally currently today yesterday last next such both all each "
    "every a an other some many most among through when while if although but and so recently now then "
    "what why how where who".split())


@dataclass(frozen=True)
class _Paragraph:
    start: int
    end: int
    split: bool  # False for the headline and attribution lines: one sentence whatever they contain


@dataclass(frozen=True)
class _Page:
    text: str
    headline: bool  # whether the text's first block is the page's headline (<h1>)
    title: str | None  # the page's own title (its <title> or Open Graph title), when it has one


def read_article(path: Path, *, title: str | None = None, url: str | None = None,
                 published: date | None = None, publisher: URIRef | None = None) -> Article:
    """Read a plain-text file (UTF-8) or a saved HTML page (``.html``, ``.htm``) into an Article.

    The metadata are those given (the command line's ``--title``, ``--url``, ...), never guessed from
    the page: a page's date is not its publication date often enough to be trusted. Without ``title``
    the headline is the title, and for a page without a headline its ``<title>``.
    """
    if path.suffix.lower() in HTML_SUFFIXES:
        page = _html_page(path.read_bytes())
        return _article(page.text, title=title or None, fallback_title=page.title, url=url,
                        published=published, publisher=publisher, headline=page.headline)
    text = path.read_text(encoding="utf-8-sig")  # universal newlines: offsets count "\n" line ends
    return split_text(text, title=title, url=url, published=published, publisher=publisher)


def split_text(text: str, *, title: str | None = None, url: str | None = None,
               published: date | None = None, publisher: URIRef | None = None) -> Article:
    """Split ``text`` into numbered paragraphs and sentences (see the module docstring).

    Paragraphs are blocks separated by blank lines; within a block, lines are one paragraph (hard-wrapped
    prose) unless the block has long lines each ending a sentence (one paragraph per line, as text copied
    from a web page often is). The first line is the headline (paragraph 0) when it reads as one: at most
    250 characters, no final ".", ",", ";" or ":", and more text after it. Without a headline the body
    still starts at paragraph 1.
    """
    return _article(text, title=title, fallback_title=None, url=url, published=published,
                    publisher=publisher, headline=None)


def html_text(html: str | bytes) -> str:
    """The main text of a saved HTML page: its headline and paragraphs, separated by blank lines, without
    navigation, side bars, share buttons and footers. The offsets of an Article read from a page are
    offsets in this text."""
    return _html_page(html).text


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` (one paragraph) as ``(start, end)`` offsets in ``text``,
    without surrounding white space."""
    end = len(text) if end is None else end
    cuts = [start]
    for m in _END.finditer(text, start, end):
        after = m.end()
        if after >= end or not _ends_sentence(text, start, m):
            continue
        cuts.append(after)
    cuts.extend(m.start() + 1 for m in _BULLET.finditer(text, start, end))
    cuts = sorted(set(cuts)) + [end]
    sentences = []
    for a, b in zip(cuts, cuts[1:]):
        a, b = _trim(text, a, b)
        if a < b:
            sentences.append((a, b))
    return sentences


def _ends_sentence(text: str, paragraph_start: int, m: re.Match[str]) -> bool:
    """Whether the final punctuation matched by ``m`` ends a sentence."""
    nxt = text[m.end()]
    if not _OPENER.match(nxt):
        return False  # "etc. were", "Co., Ltd. signed", "8.1 bn. in 2018"
    if m.group(1) != ".":
        return True  # "!", "?", "..."
    word = re.search(r"[^\s(\[\"'“‘]*$", text[paragraph_start:m.start()])
    token = word.group(0) if word else ""
    lower = token.lower()
    next_word = re.match(r"[^\s,;:.!?]+", text[m.end():])
    following = next_word.group(0).strip("\"'“‘([").lower() if next_word else ""
    if lower in _ALWAYS:
        return False
    if lower in _BEFORE_NUMBER and nxt.isdigit() and (token[0].isupper() or lower not in {"no", "nos"}):
        return False  # "No. 7", "Apr. 28"; a lower-case "no." before a digit ends a sentence
    if lower in _AMBIGUOUS or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]|[A-Z]", token):
        return following in _STARTERS  # "Co., Ltd. The company", "in the U.S. It"; not "U.S. Army"
    return True


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _lines(text: str) -> list[tuple[int, int]]:
    """Each line's ``(start, end)`` without its line end."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line.rstrip("\r"))))
        pos += len(line) + 1
    return out


def _blocks(text: str) -> list[list[tuple[int, int]]]:
    """Runs of non-blank lines."""
    blocks: list[list[tuple[int, int]]] = [[]]
    for a, b in _lines(text):
        if text[a:b].strip():
            blocks[-1].append((a, b))
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _ends_with_sentence_end(line: str) -> bool:
    return bool(re.search(r"(?:[.!?]|\.{3}|…)[\"'”’»)\]]*\s*$", line))


def _title_like(line: str) -> bool:
    s = line.strip()
    return (0 < len(s) <= HEADLINE_MAX and s[-1] not in ".,;:" and not ATTRIBUTION.match(s)
            and not DATELINE.match(s))


def _title_case(line: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", line) if len(w) > 3]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _paragraphs(text: str, headline: bool | None) -> tuple[_Paragraph | None, list[_Paragraph]]:
    """The headline (if any) and the other paragraphs, in order, as offsets in ``text``."""
    blocks = _blocks(text)
    if not blocks:
        return None, []
    head: _Paragraph | None = None
    first = blocks[0]
    a, b = first[0]
    more = len(first) > 1 or len(blocks) > 1
    if headline is None:
        wrapped = len(first) > 1 and max(e - s for s, e in first) <= WRAP_WIDTH
        headline = more and _title_like(text[a:b]) and (
            not wrapped or (_title_case(text[a:b]) and bool(_OPENER.match(text[first[1][0]:first[1][1]].lstrip()))))
    if headline:
        a, b = _trim(text, a, b)
        head = _Paragraph(a, b, split=False)
        blocks[0] = first[1:]
    body: list[_Paragraph] = []
    pending: int | None = None  # where a dateline waiting for its paragraph starts
    for block in blocks:
        unwrapped = max((e - s for s, e in block), default=0) > WRAP_WIDTH
        current: tuple[int, int] | None = None
        previous = ""
        for a, b in block:
            line = text[a:b]
            if ATTRIBUTION.match(line) or DATELINE.match(line):
                if current:
                    body.append(_Paragraph(*current, split=True))
                    current = None
                if ATTRIBUTION.match(line):
                    if pending is not None:
                        body.append(_Paragraph(*_trim(text, pending, a), split=True))
                        pending = None
                    body.append(_Paragraph(*_trim(text, a, b), split=False))
                elif pending is None:
                    pending = a
                previous = line
                continue
            if current and not (unwrapped and _ends_with_sentence_end(previous)):
                current = (current[0], b)
            else:
                if current:
                    body.append(_Paragraph(*current, split=True))
                current = (pending if pending is not None else a, b)
                pending = None
            previous = line
        if current:
            body.append(_Paragraph(*current, split=True))
    if pending is not None:
        body.append(_Paragraph(*_trim(text, pending, len(text)), split=True))
    return head, [_Paragraph(*_trim(text, p.start, p.end), split=p.split) for p in body]


def _article(text: str, *, title: str | None, fallback_title: str | None, url: str | None,
             published: date | None, publisher: URIRef | None, headline: bool | None) -> Article:
    head, body = _paragraphs(text, headline)
    sentences: list[Sentence] = []
    if head is not None:
        sentences.append(Sentence(0, 1, text[head.start:head.end], head.start))
    for number, paragraph in enumerate(body, start=1):
        spans = (split_sentences(text, paragraph.start, paragraph.end) if paragraph.split
                 else [(paragraph.start, paragraph.end)])
        sentences.extend(Sentence(number, k, text[a:b], a) for k, (a, b) in enumerate(spans, start=1))
    headline_text = " ".join(text[head.start:head.end].split()) if head is not None else None
    return Article(title=title or headline_text or fallback_title or "", sentences=tuple(sentences),
                   url=url, published=published, publisher=publisher)


def _html_page(html: str | bytes) -> _Page:
    """The page's main text by trafilatura (precision first: boilerplate is worse than a lost caption)."""
    import trafilatura  # imported here: reading plain text should not pay for it

    xml = trafilatura.extract(html, output_format="xml", include_comments=False, include_tables=False,
                              include_images=False, favor_precision=True, with_metadata=True)
    if xml is None:
        raise ValueError("no main text found in the page")
    root = ElementTree.fromstring(xml)
    main = root.find("main")
    paragraphs: list[str] = []
    headline = False
    for index, element in enumerate(main if main is not None else []):
        items = element.findall(".//item") if element.tag == "list" else [element]
        for item in items:
            paragraph = " ".join("".join(item.itertext()).split())
            if not paragraph:
                continue
            if index == 0 and element.tag == "head" and not paragraphs:
                headline = True
            paragraphs.append(paragraph)
    page_title = " ".join((root.get("title") or "").split()) or None
    return _Page("\n\n".join(paragraphs), headline=headline, title=page_title)
