"""Supplement B headings: the Part and Question boxes of a continuation page."""

from __future__ import annotations

import pytest

from refugio.fill.layout import split_item, wrap


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


def test_it_breaks_chinese_between_characters_but_never_before_closing_punctuation() -> None:
    text = "我叫岑立衡。1974年8月19日，我出生于中国浙江省温州市瓯海区丽山村。" * 3
    lines = wrap(text, 120, 9)
    assert "".join(lines) == text  # no space invented, nothing lost
    assert len(lines) > 3
    assert not any(line[:1] in "。，、）" for line in lines)
    # Numbers stay whole: "1974" is never cut across two lines.
    assert all("1974" in line for line in lines if "197" in line)
