"""Search ranking: which label matches a query, and how well (mcfkg.web.search)."""

from __future__ import annotations

import pytest

from mcfkg.web.search import TIERS, match_tier, normalise


@pytest.mark.parametrize(
    ("query", "label", "tier"),
    [
        ("mianyang", "mianyang", "exact"),
        ("miangyang", "miangyang", "exact"),  # a hidden variant matches like any label
        ("mianyang dev", "mianyang development and reform commission", "prefix"),
        ("jiuzhou", "sichuan jiuzhou electric group", "word"),
        ("九洲", "四川九洲电器集团", "substring"),  # no spaces in Chinese: any part of the name
        ("jiuzou", "sichuan jiuzhou electric group", "fuzzy"),  # a typo of one word
        ("mianyng", "mianyang", "fuzzy"),
    ],
)
def test_each_kind_of_match_gets_its_tier(query: str, label: str, tier: str) -> None:
    found = match_tier(query, label)
    assert found is not None and TIERS[found[0]] == tier


def test_unrelated_labels_do_not_match() -> None:
    assert match_tier("jiuzhou", "national development and reform commission") is None
    assert match_tier("sichuan", "c919") is None


def test_normalise_folds_case_and_full_width_letters() -> None:
    assert normalise("  Ｊｉｕｚｈｏｕ ") == "jiuzhou"
    assert normalise("MIANYANG") == "mianyang"
