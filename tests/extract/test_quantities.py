"""Quantities: every usual way of writing money, counts, percentages and areas, to exact base units.

The sentences are invented for these tests, except those quoting the first article
(data/sources/mianyang-mcf-article.txt), whose amounts the curated graph records.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from mcfkg.extract.model import Quantity, Sentence
from mcfkg.extract.quantities import find_quantities


def quantities(text: str, context_currency: str | None = None) -> list[Quantity]:
    return find_quantities(Sentence(1, 1, text, 0), context_currency)


def row(q: Quantity) -> tuple[Decimal, str | None, str, str | None]:
    return q.value, q.unit, q.bound, q.qualifier


D = Decimal
# phrase -> the one quantity expected: (value, unit, bound, qualifier)
TABLE: list[tuple[str, tuple[Decimal, str | None, str, str | None]]] = [
    # the first article's amounts and counts
    ("a fund of RMB 500 million was granted", (D(500000000), "CNY", "exact", None)),
    ("a total investment of RMB 2.493 billion.", (D(2493000000), "CNY", "exact", None)),
    ("will deliver an output of RMB 8.1 billion in the strategic emerging industries",
     (D(8100000000), "CNY", "exact", None)),
    ("with an increase of over RMB 39.6 billion in the upstream", (D(39600000000), "CNY", "lower-exclusive", "over")),
    ("attracting investments of RMB 20 billion from enterprises outside", (D(20000000000), "CNY", "exact", None)),
    ("have been applied in more than 20 sectors.", (D(20), None, "lower-exclusive", "more than")),
    ("the Plan focused on 12 military-civilian integration high-tech projects", (D(12), None, "exact", None)),
    # money in other forms
    ("The city raised 500 million yuan for the park.", (D(500000000), "CNY", "exact", None)),
    ("Exports reached ¥8.1bn last year.", (D(8100000000), "CNY", "exact", None)),
    ("The order is worth US$3.2 billion.", (D(3200000000), "USD", "exact", None)),
    ("The firm won a contract of USD 40 million.", (D(40000000), "USD", "exact", None)),
    ("They committed RMB 20 billion yuan to the fund.", (D(20000000000), "CNY", "exact", None)),
    ("Each winner receives 10,000 yuan.", (D(10000), "CNY", "exact", None)),
    ("The budget is 100 million yuan.", (D(100000000), "CNY", "exact", None)),
    ("A grant of RMB500 million was approved.", (D(500000000), "CNY", "exact", None)),
    ("The deal is worth $3m.", (D(3000000), "USD", "exact", None)),
    ("The sale brought in 2.5 million US dollars.", (D(2500000), "USD", "exact", None)),
    ("The plant cost 8.1亿元.", (D(810000000), "CNY", "exact", None)),
    ("Sales rose to 1,250.5 million yuan.", (D(1250500000), "CNY", "exact", None)),
    ("It will invest two billion yuan in the zone.", (D(2000000000), "CNY", "exact", None)),
    ("The province gave a billion yuan to the project.", (D(1000000000), "CNY", "exact", None)),
    ("A subsidy of RMB 0.75 million was paid.", (D(750000), "CNY", "exact", None)),
    ("The loan is HK$600 million.", (D(600000000), "HKD", "exact", None)),
    ("The line got nearly 500 million yuan.", (D(500000000), "CNY", "approximate", "nearly")),
    ("The group has invested at least RMB 1 billion.", (D(1000000000), "CNY", "lower-inclusive", "at least")),
    ("Each project may receive up to 30 million yuan.", (D(30000000), "CNY", "upper-inclusive", "up to")),
    ("Output was less than RMB 2 billion.", (D(2000000000), "CNY", "upper-exclusive", "less than")),
    ("Orders totalled about US$45 million.", (D(45000000), "USD", "approximate", "about")),
    ("The park attracted 300 million yuan or more in private capital.",
     (D(300000000), "CNY", "lower-inclusive", "or more")),
    # counts
    ("The city has nine national key laboratories.", (D(9), None, "exact", None)),
    ("Mianyang won two prizes of the provincial award.", (D(2), None, "exact", None)),
    ("The zone hosts twenty-three research institutes.", (D(23), None, "exact", None)),
    ("The fund backs ninety-nine start-ups.", (D(99), None, "exact", None)),
    ("More than a dozen companies joined the alliance.", (D(12), None, "lower-exclusive", "more than")),
    ("Nearly 2,000 engineers work in the park.", (D(2000), None, "approximate", "nearly")),
    ("Some 40 enterprises signed up.", (D(40), None, "approximate", "some")),
    ("Around 15 universities take part.", (D(15), None, "approximate", "around")),
    ("Approximately 300 patents were filed.", (D(300), None, "approximate", "approximately")),
    ("No fewer than 8 laboratories will be built.", (D(8), None, "lower-inclusive", "no fewer than")),
    ("Under 10 projects failed.", (D(10), None, "upper-exclusive", "under")),
    ("At most 5 teams can apply.", (D(5), None, "upper-inclusive", "at most")),
    ("Fewer than 30 firms applied.", (D(30), None, "upper-exclusive", "fewer than")),
    ("The plan names above 50 key enterprises.", (D(50), None, "lower-exclusive", "above")),
    ("One key laboratory was set up in the district.", (D(1), None, "exact", None)),
    ("The region has 1.4 billion consumers.", (D(1400000000), None, "exact", None)),
    # percentages
    ("Output grew by 15 percent in the first quarter.", (D(15), "percent", "exact", None)),
    ("Output grew by 15% on the year.", (D(15), "percent", "exact", None)),
    ("The share rose by 3.25 per cent.", (D("3.25"), "percent", "exact", None)),
    ("More than 60 percent of the parts are made locally.", (D(60), "percent", "lower-exclusive", "more than")),
    ("The rate fell by 2 percentage points.", (D(2), "percentage-point", "exact", None)),
    # areas
    ("The park covers 10 square kilometers.", (D(10), "km2", "exact", None)),
    ("The new zone covers 3.5 km2 in the east.", (D("3.5"), "km2", "exact", None)),
    ("The factory occupies 500 mu of land.", (D(500), "mu", "exact", None)),
    ("The centre has 20,000 square meters of floor space.", (D(20000), "m2", "exact", None)),
    ("The base covers about 1.2 million square metres.", (D(1200000), "m2", "approximate", "about")),
    ("The farm spans 40 hectares.", (D(40), "ha", "exact", None)),
]


@pytest.mark.parametrize(("phrase", "expected"), TABLE, ids=[p for p, _ in TABLE])
def test_table(phrase: str, expected: tuple[Decimal, str | None, str, str | None]) -> None:
    found = quantities(phrase)
    assert [row(q) for q in found] == [expected]
    q = found[0]
    assert q.span.text == phrase[q.span.start:q.span.end]
    assert str(q.value) == str(expected[0])  # plain digits, as xsd:decimal is written: no exponent


def test_values_are_exact_decimals() -> None:
    (q,) = quantities("a total investment of RMB 2.493 billion")
    assert isinstance(q.value, Decimal) and str(q.value) == "2493000000"
    (q,) = quantities("It cost RMB 0.1 billion.")
    assert str(q.value) == "100000000"  # 0.1 × 10⁹ exactly, not 100000000.00000001


def test_spans_cover_qualifier_currency_and_noun() -> None:
    text = ("The industrial chain project will deliver an output of RMB 8.1 billion in the strategic emerging "
            "industries with an increase of over RMB 39.6 billion in the upstream and downstream and related "
            "industries, attracting investments of RMB 20 billion from enterprises outside and over 40 "
            "technology cooperation.")
    found = quantities(text)
    assert [q.span.text for q in found] == ["RMB 8.1 billion", "over RMB 39.6 billion", "RMB 20 billion",
                                            "over 40 technology cooperation"]
    assert found[-1].what == "cooperation" and found[-1].bound == "lower-exclusive"


@pytest.mark.parametrize(("text", "what"), [
    ("the Plan focused on 12 military-civilian integration high-tech projects in four main areas", "projects"),
    ("The city has nine national key laboratories.", "laboratories"),
    ("Mianyang won two prizes of the provincial award.", "prizes"),
    ("have been applied in more than 20 sectors.", "sectors"),
    ("It helps more than 100 small and medium-sized enterprises.", "enterprises"),
    ("138 patents were authorized.", "patents"),
    ("One key laboratory was set up.", "laboratory"),
    ("The park needs 1,000 people.", "people"),
])
def test_count_names_what_it_counts(text: str, what: str) -> None:
    assert quantities(text)[0].what == what


def test_currency_from_context() -> None:
    (q,) = quantities("Investment in the second phase reached 46.5 billion.", context_currency="CNY")
    assert row(q) == (D(46500000000), "CNY", "exact", None) and q.currency_from_context
    assert quantities("Investment in the second phase reached 46.5 billion.") == []  # no currency known
    first, second = quantities("Output rose to RMB 8 billion and exports to 1.5 billion in the year.")
    assert (second.unit, second.value, second.currency_from_context) == ("CNY", D(1500000000), True)
    assert not first.currency_from_context
    (q,) = quantities("The region has 1.4 billion consumers.", context_currency="CNY")
    assert q.unit is None and q.what == "consumers"  # a counted noun is not money


def test_ranges_give_both_bounds() -> None:
    low, high = quantities("The fund will back between 20 and 30 projects.")
    assert row(low) == (D(20), None, "lower-inclusive", "between")
    assert row(high) == (D(30), None, "upper-inclusive", "between")
    assert low.what == "projects"
    assert low.span == high.span  # one range, one node in the graph (relations.View.range_parts)
    low, high = quantities("Each will get RMB 2-3 billion.")
    assert (low.value, high.value, low.unit) == (D(2000000000), D(3000000000), "CNY")
    first, second = quantities("The share rose from 20 percent to 30 percent.")
    assert (first.bound, second.bound) == ("exact", "exact")  # a change, not a range


@pytest.mark.parametrize("text", [
    "The plan was approved in 2018.",
    "The 2018 plan was approved.",
    "On April 28, 2018, the plan was approved.",
    "The fund was set up on 2018-04-28.",
    "It was the first such plan.",
    "It follows the 19th National Congress.",
    "The No. 1 Institute of the group took part.",
    "Document No. 7 sets the rules.",
    "It is a tier 1 provider for the C919.",
    "The J-20 and the Y-20 flew.",
    "The Long March 5 rocket lifted off.",
    "The delegates attended the Two Sessions.",
    "It supports 5G networks and 3D printing.",
    "The group drew up a five-year plan.",
    "The work took three years.",
    "Output grew 2.5 times.",
    "One of the laboratories is new.",
    "The T800-grade fibre is used.",
    "Phase 2 starts soon.",
])
def test_not_quantities(text: str) -> None:
    assert quantities(text) == []


def test_several_in_one_sentence() -> None:
    found = quantities("138 patents were authorized, and 9 standards were made for different sectors.")
    assert [(q.value, q.what) for q in found] == [(D(138), "patents"), (D(9), "standards")]
