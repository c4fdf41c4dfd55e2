"""Migrations that change stored data, run forward and back on a database holding cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from refugio_web.models import Case

BEFORE_SEALING = ("refugio_web", "0004_user_sessions")
SEALING = ("refugio_web", "0005_case_sealed")


def _migrate(target: tuple[str, str]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_it_seals_the_cases_of_an_existing_database_and_can_go_back() -> None:
    old = _migrate(BEFORE_SEALING)
    org = old.get_model("refugio_web", "Organisation").objects.create(name="Old Office (fictional)")
    draft = {"meta": {"visited": ["identity"]}, "applicant": {"last_name": "Quispe Fictivo"}}
    pk = (
        old.get_model("refugio_web", "Case")
        .objects.create(organisation=org, reference="OLD-1", draft=draft)
        .pk
    )

    _migrate(SEALING)
    _migrate(max(_leaves()))  # the rest, whatever came after
    case = Case.objects.get(pk=pk)
    assert case.draft == draft and case.reference == "OLD-1"
    assert b"Quispe" not in bytes(case.draft_sealed)

    back = _migrate(BEFORE_SEALING)
    plain = back.get_model("refugio_web", "Case").objects.get(pk=pk)
    assert plain.draft == draft and plain.reference == "OLD-1"
    _migrate(max(_leaves()))


def _leaves() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [n for n in executor.loader.graph.leaf_nodes() if n[0] == "refugio_web"]
