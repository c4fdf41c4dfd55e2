"""Seal every case's draft and reference under a new data key per case (issue 4, point 1).

Needs the master key configured (settings.MASTER_KEYS) when it runs. Reversible, so a release
can be rolled back; rolling back writes the answers in clear again.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import migrations, models

from refugio.crypto import open_sealed, seal, unwrap
from refugio_web import vault


def _seal(key: bytes, pk: object, field: str, value: Any) -> bytes:
    plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return seal(key, plain, record=vault.record_of("case", pk), field=field)


def seal_cases(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("refugio_web", "Case")
    for case in case_model.objects.all().iterator():
        key, case.data_key = vault.new_wrapped_key(vault.record_of("case", case.pk))
        case.draft_sealed = _seal(key, case.pk, "draft", case.draft)
        case.reference_sealed = _seal(key, case.pk, "reference", case.reference)
        case.save(update_fields=["data_key", "draft_sealed", "reference_sealed"])


def open_cases(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("refugio_web", "Case")
    for case in case_model.objects.all().iterator():
        record = vault.record_of("case", case.pk)
        key = unwrap(vault.ring(), bytes(case.data_key), record=record)
        for field in ("draft", "reference"):
            sealed = bytes(getattr(case, f"{field}_sealed"))
            setattr(case, field, json.loads(open_sealed(key, sealed, record=record, field=field)))
        case.save(update_fields=["draft", "reference"])


class Migration(migrations.Migration):
    dependencies = [("refugio_web", "0004_user_sessions")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="data_key",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="draft_sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="reference_sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.RunPython(seal_cases, open_cases),
        # A default, so that going back can add the column again before filling it.
        migrations.AlterField(
            model_name="case",
            name="reference",
            field=models.CharField(default="", max_length=60, verbose_name="case reference"),
        ),
        migrations.RemoveField(model_name="case", name="draft"),
        migrations.RemoveField(model_name="case", name="reference"),
    ]
