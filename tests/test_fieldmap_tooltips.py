"""An independent check of the field maps: the form's own tooltips.

The maps were built from positions and printed labels because the tooltips are wrong in places
(pdf-filling.md, pitfall 7). Where a tooltip does name an item number, or a Yes/No/Male/Female
choice, it must agree with what the map's model path means: a swap of two paths in a map (item
13 into the box of item 14) fails here even though every path is valid and every widget is
accounted for.
"""

from __future__ import annotations

import re

from refugio.check import item_for
from refugio.editions import Edition
from refugio.fill.pdfdoc import open_blank, widgets
from tests.conftest import blank_path

_ITEM_IN_TOOLTIP = re.compile(r"(?:^|\.\s+)(\d{1,2})\.\s*(?:[A-C]\.\s)?")
_ITEM_OF_PATH = re.compile(r"item (\d{1,2})")


def _tooltips(edition: Edition) -> dict[str, str]:
    with open_blank(blank_path(edition)) as pdf:
        return {w.name: str(w.attr("/TU") or "") for w in widgets(pdf)}


def test_it_agrees_with_the_item_numbers_the_tooltips_name(edition: Edition) -> None:
    compared, disagree = 0, []
    for name, tooltip in _tooltips(edition).items():
        entry = edition.field_map().entries[name]
        if not entry.path or entry.path.startswith(("supplement_", "derived.")):
            continue
        said = _ITEM_IN_TOOLTIP.search(re.sub(r"^Part\.?\s*A\.\s*\d\.\s*", "", tooltip))
        meant = _ITEM_OF_PATH.search(item_for(entry.path))
        if said and meant:
            compared += 1
            if said.group(1) != meant.group(1):
                disagree.append(
                    f"{name}: {entry.path} is item {meant.group(1)}, tooltip: {tooltip}"
                )
    assert disagree == []
    assert compared > 250


def test_it_agrees_with_the_choices_the_tooltips_name(edition: Edition) -> None:
    choices = {
        "Select Yes": True,
        "Select No": False,
        "Select Male": "male",
        "Select Female": "female",
    }
    compared, disagree = 0, []
    for name, tooltip in _tooltips(edition).items():
        entry = edition.field_map().entries[name]
        said = [value for words, value in choices.items() if words in tooltip]
        if entry.is_checkbox and len(said) == 1:
            compared += 1
            if said[0] != entry.on:
                disagree.append(f"{name}: ticks on {entry.on!r}, tooltip: {tooltip}")
    assert disagree == []
    assert compared > 40
