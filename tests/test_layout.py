"""Supplement B headings: the Part and Question boxes of a continuation page."""

from __future__ import annotations

import pytest

from refugio.fill.layout import split_item


@pytest.mark.parametrize(
    ("item", "part", "question"),
    [
        ("Part B, item 1.A", "B", "1.A"),
        ("Part A.III, item 2", "A.III", "2"),
        ("Part C, items 2.A-2.B", "C", "2.A-2.B"),
        ("Part D", "D", ""),
        ("Part A.II, child 1 item 14", "A.II", "child 1 item 14"),
        ("Supplement A, child 5 item 14", "Supplement A", "child 5 item 14"),
    ],
)
def test_it_splits_an_item_into_part_and_question(item: str, part: str, question: str) -> None:
    assert split_item(item) == (part, question)
