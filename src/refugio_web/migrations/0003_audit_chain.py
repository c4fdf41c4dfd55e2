"""The audit trail becomes a hash chain, append-only at the database (issue 4, point 4).

Written by hand: other migrations of issue 4 are being written at the same time.

- ``seq``, ``prev_mac``, ``mac``: each record's HMAC covers its sequence number, time, user id,
  action, case id, detail and the previous record's MAC (``refugio.audit``).
- ``at`` is set by the appender, not by ``auto_now_add`` (which would overwrite the time the
  MAC was computed over).
- ``user`` keeps the id even when the user is deleted (no ``SET NULL``, no database constraint):
  rewriting a record would break the chain, and the trigger refuses it anyway.
- Existing records are sealed into a chain, in id order, then the triggers are installed.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def seal_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from refugio_web.audit import seal_rows

    event = apps.get_model("refugio_web", "AccessEvent")
    seal_rows(event.objects.using(schema_editor.connection.alias).order_by("id"))


def install_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from refugio_web.audit import install_triggers

    install_triggers(schema_editor.connection)


def remove_triggers(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from refugio_web.audit import remove_triggers

    remove_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("refugio_web", "0002_case_last_page"),
    ]

    operations = [
        migrations.AddField(
            model_name="accessevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="prev_mac",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="mac",
            field=models.CharField(default="", max_length=64),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="detail",
            field=models.JSONField(default=dict),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="user",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="accessevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True),
        ),
        migrations.AlterModelOptions(
            name="accessevent",
            options={"ordering": ["seq"]},
        ),
        migrations.RunPython(install_triggers, remove_triggers),
    ]
