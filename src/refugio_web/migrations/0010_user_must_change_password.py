"""An admin can give a colleague a temporary password, which the person must change at the next
login (docs/decisions.md §22)."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("refugio_web", "0009_job")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(default=False),
        ),
    ]
