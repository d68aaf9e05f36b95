"""Paragraphs and sentences: numbered as the curated sources are, offsets exact, abbreviations and
datelines never splitting a sentence. The first article is the repository's; every other text here,
and the saved page under tests/data/extraction/pages/, was invented for these tests."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Namespace, URIRef

from mcfkg.extract.model import Article
from mcfkg.extract.text import html_text, read_article, split_text

ROOT = Path(__file__).resolve().parents[2]
FIRST_ARTICLE = ROOT / "data" / "sources" / "mianyang-mcf-article.txt"
FIRST_ARTICLE_TRIG = ROOT / "data" / "mianyang-mcf-article.trig"
PAGE = ROOT / "tests" / "data" / "extraction" / "pages" / "lanxi-radar-park.html"
MCF = Namespace("https://w3id.org/mcfkg/def/")


def numbering(article: Article) -> dict[int, int]:
    """Paragraph -> number of sentences."""
    return dict(sorted(Counter(s.paragraph for s in article.sentences).items()))


def texts(article: Article) -> list[str]:
    return [s.text for s in article.sentences]


def assert_offsets(article: Article, text: str) -> None:
    for s in article.sentences:
        assert text[s.offset:s.offset + len(s.text)] == s.text
    numbers = [(s.paragraph, s.number) for s in article.sentences]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)


def test_first_article_is_numbered_as_its_trig() -> None:
    article = read_article(FIRST_ARTICLE)
    assert numbering(article) == {0: 1, 1: 3, 2: 19, 3: 2, 4: 1}
    assert article.title.startswith("The Military-civilian Integration Project in China Sci-Tech City")
    assert_offsets(article, FIRST_ARTICLE.read_text(encoding="utf-8"))
    assert article.sentences[-1].text == "Source: Mianyang Development and Reform Commission"
    # every passage the curated graph cites has its excerpt in the sentence of that number
    ds = Dataset(default_union=True)
    ds.parse(FIRST_ARTICLE_TRIG, format="trig")
    by_number = {(s.paragraph, s.number): s.text for s in article.sentences}
    passages = set(ds.subjects(MCF.excerpt, None))
    assert len(passages) == len(article.sentences)
    for passage in passages:
        assert isinstance(passage, URIRef)
        key = (int(ds.value(passage, MCF.paragraph)), int(ds.value(passage, MCF.sentence)))  # type: ignore[arg-type]
        assert str(ds.value(passage, MCF.excerpt)) in by_number[key], key


def test_metadata_is_passed_through_never_guessed() -> None:
    publisher = URIRef("https://w3id.org/mcfkg/id/mianyang-drc")
    article = read_article(FIRST_ARTICLE, title="Mianyang plan funded", url="http://example.org/a",
                           published=date(2018, 4, 16), publisher=publisher)
    assert (article.title, article.url, article.published, article.publisher) == (
        "Mianyang plan funded", "http://example.org/a", date(2018, 4, 16), publisher)
    bare = read_article(FIRST_ARTICLE)
    assert (bare.url, bare.published, bare.publisher) == (None, None, None)


def test_saved_page_without_boilerplate() -> None:
    article = read_article(PAGE)
    assert article.title == "Lanxi Radar Industrial Park Signs RMB 3.2 Billion in Military-Civilian Integration Projects"
    assert numbering(article) == {0: 1, 1: 1, 2: 3, 3: 3, 4: 1}
    joined = "\n".join(texts(article))
    for boilerplate in ["Home", "Log in", "Contact Us", "Related News", "Hot Topics", "Share to", "Copyright",
                        "Release time", "Font size", "ICP No", "siteSearch"]:
        assert boilerplate not in joined
    assert texts(article)[1].startswith("LANXI, May 20 -- The Lanxi Radar Industrial Park signed 14")
    assert "Co., Ltd. will invest approx. 860 million yuan" in texts(article)[2]
    assert texts(article)[3] == "The No. 3 Research Institute of the Lanxi Electronics Group will set up a joint laboratory with the company."
    assert "according to Dr. Wang Lin, director of the committee." in texts(article)[6]
    assert texts(article)[-1] == "Source: Lanxi Municipal Development and Reform Commission"
    assert_offsets(article, html_text(PAGE.read_bytes()))
    assert (article.published, article.url) == (None, None)  # the page's "Release time" is not taken


@pytest.mark.parametrize("sentence", [
    "Sichuan Tianfu Avionics Co., Ltd. signed the agreement on Friday.",
    "The No. 1 Institute of the group and the Document No. 7 office took part.",
    "The U.S. Army and the U.K. firm were not involved.",
    "The fund gave approx. 2.4 billion yuan to the park.",
    "Investment reached RMB 2.493 billion and RMB 8.1 bn in the two phases.",
    "The centre makes radars, sensors, etc. for civilian use.",
    "Gen. Zhao and Prof. Sun visited the St. Andrews campus.",
    "BEIJING, Apr. 28 (Xinhua) -- The plan was approved on Apr. 28 by the commission.",
    "The parts (e.g. radomes, i.e. covers) are made locally.",
    "The park hosts Fig. 3 and Vol. 2 of the survey.",
    "He said \"the project is on track.\" and left.",
])
def test_one_sentence(sentence: str) -> None:
    article = split_text(f"Headline of the Test Release\n\n{sentence}\n")
    assert texts(article)[1:] == [sentence]


@pytest.mark.parametrize(("text", "sentences"), [
    ("The deal was signed with Tianfu Co., Ltd. The company will build a plant.",
     ["The deal was signed with Tianfu Co., Ltd.", "The company will build a plant."]),
    ("The radar is sold in the U.S. It is also sold in Europe.",
     ["The radar is sold in the U.S.", "It is also sold in Europe."]),
    ("The city has 12 parks. 138 patents were authorized.", ["The city has 12 parks.", "138 patents were authorized."]),
    ("Tier 1 provider for the C919. Skyeye Laser followed.", ["Tier 1 provider for the C919.", "Skyeye Laser followed."]),
    ("\"We are glad,\" he said. \"It works.\" She agreed.", ["\"We are glad,\" he said.", "\"It works.\"", "She agreed."]),
    ("Was it approved? Yes! It was.", ["Was it approved?", "Yes!", "It was."]),
    ("They make radars, sensors, etc. The plant is new.", ["They make radars, sensors, etc.", "The plant is new."]),
])
def test_split(text: str, sentences: list[str]) -> None:
    assert texts(split_text(f"Headline of the Test Release\n\n{text}"))[1:] == sentences


def test_dateline_lines_stay_with_their_sentence() -> None:
    text = ("Qinglan Opens a Drone Test Range\nApr 28, 2018\n\nQINGLAN, April 28 (Xinhua) -- The city opened a "
            "drone test range. It cost RMB 300 million.\n\nSource: Qinglan Daily\n")
    article = split_text(text)
    assert numbering(article) == {0: 1, 1: 2, 2: 1}
    assert texts(article)[0] == "Qinglan Opens a Drone Test Range"
    assert texts(article)[1] == ("Apr 28, 2018\n\nQINGLAN, April 28 (Xinhua) -- The city opened a drone test range.")
    assert_offsets(article, text)


def test_source_line_without_blank_line_is_its_own_paragraph() -> None:
    text = "Qinglan Opens a Drone Test Range\n\nThe city opened a range. It is large.\nSource: Qinglan Daily"
    article = split_text(text)
    assert numbering(article) == {0: 1, 1: 2, 2: 1}
    assert article.sentences[-1].text == "Source: Qinglan Daily" and article.sentences[-1].paragraph == 2


def test_no_headline() -> None:
    text = "Recently, the city opened a drone test range.\n\nIt cost RMB 300 million. It is large."
    article = split_text(text)
    assert numbering(article) == {1: 1, 2: 2}
    assert article.title == ""
    assert split_text(text, title="Drone range").title == "Drone range"


def test_one_paragraph_per_line() -> None:
    """Text copied from a page often has no blank lines: long lines that each end a sentence are
    paragraphs of their own."""
    body = "The city opened a drone test range for military and civilian users in the north of the province. It is large."
    text = f"Qinglan Opens a Drone Test Range\n{body}\n{body}\nSource: Qinglan Daily\n"
    assert numbering(split_text(text)) == {0: 1, 1: 2, 2: 2, 3: 1}


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = ("Qinglan Opens a Drone Test Range\n\nThe city opened a drone test range for military and\n"
            "civilian users. It cost RMB 300 million and covers\n12 square kilometers.\n\nSource: Qinglan Daily\n")
    article = split_text(text)
    assert numbering(article) == {0: 1, 1: 2, 2: 1}
    assert texts(article)[1] == "The city opened a drone test range for military and\ncivilian users."
    assert_offsets(article, text)


def test_windows_line_ends_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "release.txt"
    path.write_bytes("\ufeffQinglan Opens a Range\r\n\r\nThe city opened a range. It is large.\r\n".encode())
    article = read_article(path)
    assert texts(article) == ["Qinglan Opens a Range", "The city opened a range.", "It is large."]


def test_empty_text() -> None:
    assert split_text("  \n\n ").sentences == ()
