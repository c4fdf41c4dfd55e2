"""The packet of a case, composed (refugio.claim.filing), and its checklist known beforehand
(refugio.claim.packet.preview)."""

from __future__ import annotations

import json

import pytest

from refugio.claim.filing import build_for_case
from refugio.claim.model import Dossier
from refugio.claim.packet import Packet, preview
from refugio.claim.specimen import specimen, translation_specimen
from refugio.editions import EDITIONS
from refugio.errors import DossierError
from tests.claim.test_packet import FILES, TODAY, dossier
from tests.claim.test_packet import packet as packet  # the fixture, re-exported
from tests.conftest import EXAMPLES, blank_path, load_example


def test_it_knows_the_checklist_and_the_fee_without_building_the_packet(packet: Packet) -> None:
    ahead = preview(load_example("b-dissident-businessman.json"), dossier(), TODAY)
    assert ahead.fee == packet.checklist.fee
    assert ahead.items == packet.checklist.items  # exhibit letters included
    assert ahead.steps == packet.checklist.steps


def test_it_lists_the_packages_with_their_pages_in_the_checklist_data(packet: Packet) -> None:
    data = json.loads(packet.files()["checklist.json"])
    assert data["packages"] == [
        {"file": p.filename, "title": p.title, "pages": p.pages} for p in packet.packages
    ]


def test_it_typesets_the_dossiers_declaration_into_the_packet() -> None:
    claim = Dossier.model_validate_json(
        (EXAMPLES / "dossiers" / "b-dissident-businessman.json").read_text(encoding="utf-8")
    )
    made = {x.file: specimen(x) for x in claim.evidence}
    made |= {x.translation.file: translation_specimen(x) for x in claim.evidence if x.translation}
    seen: list[str] = []
    built = build_for_case(
        load_example("b-dissident-businessman.json"),
        claim,
        made.__getitem__,
        blank_path(EDITIONS["01/20/25"]),
        TODAY,
        progress=lambda stage, done, total: seen.append(stage),
    )
    assert seen[0] == "declaration"
    assert any(part.what.startswith("Declaration") for part in built.packages[0].parts)
    assert len(built.exhibits) == len(claim.evidence)


def test_it_leaves_the_declaration_out_when_the_dossier_has_none() -> None:
    built = build_for_case(
        load_example("b-dissident-businessman.json"),
        Dossier(),
        FILES.__getitem__,
        blank_path(EDITIONS["01/20/25"]),
        TODAY,
    )
    assert not any(part.what.startswith("Declaration") for part in built.packages[0].parts)


def test_it_refuses_to_file_a_declaration_with_an_untranslated_paragraph() -> None:
    claim = Dossier.model_validate_json(
        (EXAMPLES / "dossiers" / "b-dissident-businessman.json").read_text(encoding="utf-8")
    )
    claim.declaration[2].native = ""
    with pytest.raises(DossierError, match=r"the declaration is a draft: paragraph\(s\) 3 lack"):
        build_for_case(
            load_example("b-dissident-businessman.json"),
            claim,
            FILES.__getitem__,
            blank_path(EDITIONS["01/20/25"]),
            TODAY,
        )
