"""Dates: absolute ones read as written, relative ones resolved against the publication date and only
then, and nothing resolved that the text does not say. Sentences invented for these tests, except
the first article's "Recently"."""

from __future__ import annotations

from datetime import date

import pytest

from mcfkg.extract.dates import NO_PUBLICATION_DATE, find_dates
from mcfkg.extract.model import DateMention, Sentence

PUBLISHED = date(2018, 4, 28)  # a Saturday


def dates(text: str, published: date | None = PUBLISHED) -> list[DateMention]:
    return find_dates(Sentence(1, 1, text, 0), published)


def one(text: str, published: date | None = PUBLISHED) -> DateMention:
    (mention,) = dates(text, published)
    assert mention.span.text == text[mention.span.start:mention.span.end]
    return mention


@pytest.mark.parametrize(("text", "words", "value", "precision"), [
    ("The plan was approved on April 28, 2018.", "on April 28, 2018", date(2018, 4, 28), "day"),
    ("The plan was approved on Apr. 2, 2016.", "on Apr. 2, 2016", date(2016, 4, 2), "day"),
    ("The fund was set up on 2018-04-28.", "on 2018-04-28", date(2018, 4, 28), "day"),
    ("The fund was set up on 28 April 2018.", "on 28 April 2018", date(2018, 4, 28), "day"),
    ("It opened on the 3rd of March 2017.", "on the 3rd of March 2017", date(2017, 3, 3), "day"),
    ("It opened on September 1st, 2015.", "on September 1st, 2015", date(2015, 9, 1), "day"),
    ("The zone was approved in 2017.", "in 2017", date(2017, 1, 1), "year"),
    ("The zone was approved in January 2018.", "in January 2018", date(2018, 1, 1), "month"),
    ("The base will be finished by the end of 2020.", "by the end of 2020", date(2020, 1, 1), "year"),
    ("The park has grown since 2015.", "since 2015", date(2015, 1, 1), "year"),
    ("该计划于2018年4月28日获批。", "2018年4月28日", date(2018, 4, 28), "day"),
])
def test_absolute(text: str, words: str, value: date, precision: str) -> None:
    for published in (PUBLISHED, None):  # an absolute date needs no publication date
        mention = one(text, published)
        assert (mention.span.text, mention.value, mention.precision, mention.resolution) == (
            words, value, precision, "absolute")


def test_a_year_range_gives_both_years() -> None:
    first, last = dates("The 2016-2020 plan ends soon.")
    assert (first.value, last.value, first.precision) == (date(2016, 1, 1), date(2020, 1, 1), "year")


@pytest.mark.parametrize(("text", "value", "precision"), [
    ("On April 18, the NDRC approved the plan.", date(2018, 4, 18), "day"),
    ("On December 18, the NDRC approved the plan.", date(2017, 12, 18), "day"),  # after publication in 2018
    ("In January, the NDRC approved the plan.", date(2018, 1, 1), "month"),
    ("In June, the NDRC approved the plan.", date(2017, 6, 1), "month"),
    ("The expo will open on May 20.", date(2018, 5, 20), "day"),  # the future tense keeps the year
    ("The plant opened last year.", date(2017, 1, 1), "year"),
    ("The plant will open this year.", date(2018, 1, 1), "year"),
    ("The plant will open next year.", date(2019, 1, 1), "year"),
    ("Sales rose this month.", date(2018, 4, 1), "month"),
    ("Sales rose last month.", date(2018, 3, 1), "month"),
    ("The deal was signed yesterday.", date(2018, 4, 27), "day"),
    ("The deal was signed on Monday.", date(2018, 4, 23), "day"),
    ("The deal was signed on Saturday.", date(2018, 4, 28), "day"),  # the publication day's own weekday
    ("The deal was signed three weeks ago.", date(2018, 4, 7), "day"),
    ("The deal was signed two years ago.", date(2016, 1, 1), "year"),
    ("MIANYANG, April 28 (Xinhua) -- The city won a fund.", date(2018, 4, 28), "day"),
])
def test_relative_with_a_publication_date(text: str, value: date, precision: str) -> None:
    mention = one(text)
    assert (mention.value, mention.precision) == (value, precision)
    assert mention.resolution.startswith("relative to the publication date 2018-04-28")
    assert mention.span.text in mention.resolution


def test_relative_resolution_says_why() -> None:
    assert one("On April 18, the NDRC approved the plan.").resolution == (
        "relative to the publication date 2018-04-28: 'On April 18'")
    assert "the year before" in one("On December 18, the NDRC approved the plan.").resolution
    assert "future" in one("The expo will open on May 20.").resolution


@pytest.mark.parametrize(("text", "precision"), [
    ("On April 18, the NDRC approved the plan.", "day"),
    ("In January, the NDRC approved the plan.", "month"),
    ("The plant opened last year.", "year"),
    ("The deal was signed yesterday.", "day"),
    ("The deal was signed on Monday.", "day"),
    ("The deal was signed three weeks ago.", "day"),
])
def test_relative_without_a_publication_date(text: str, precision: str) -> None:
    mention = one(text, None)
    assert (mention.value, mention.precision) == (None, precision)
    assert mention.resolution.startswith(NO_PUBLICATION_DATE)


@pytest.mark.parametrize("published", [PUBLISHED, None])
@pytest.mark.parametrize("text", [
    "Recently, the Implementation Plan was approved by the NDRC.",  # the first article's opening
    "The park has grown fast in recent years.",
    "Lately the company has hired more engineers.",
    "A few days ago the deal was signed.",
])
def test_unresolvable(text: str, published: date | None) -> None:
    mention = one(text, published)
    assert (mention.value, mention.precision) == (None, None)
    assert "names no date" in mention.resolution


def test_a_week_is_kept_as_a_note() -> None:
    mention = one("The deal was signed last week.")
    assert mention.value is None and "week" in mention.resolution


@pytest.mark.parametrize("text", [
    "The Long March 5 rocket lifted off.",
    "The Mayor met the team.",
    "Firms may apply for a grant.",
    "The plan covers 2000 enterprises.",
    "Output grew 12 percent.",
    "The Made in China 2025 plan names ten sectors.",
])
def test_not_dates(text: str) -> None:
    assert dates(text) == []


def test_never_today() -> None:
    """Nothing is resolved against the day the tests run: without a publication date every relative
    mention stays unresolved, whatever dateparser would say."""
    today = date.today()
    for text in ["It opened on Monday.", "It opened two days ago.", "It opened yesterday.", "In May it opened."]:
        for mention in dates(text, None):
            assert mention.value is None and mention.value != today


def test_invalid_date_is_not_resolved() -> None:
    mention = one("The fund was set up on February 30, 2018.")
    assert mention.value is None and "not a valid date" in mention.resolution
