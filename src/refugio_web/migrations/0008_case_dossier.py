"""Cases get a dossier (issue 5): events, evidence and the declaration, sealed like the draft.

No data to move: an empty column at version 1 is an empty dossier (``Case.dossier``). The
dependency names 0006; 0007 comes from another branch and is fixed at the merge.
"""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("refugio_web", "0007_sealed_totp")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="dossier_sealed",
            field=models.BinaryField(default=b"", editable=False),
        ),
        migrations.AddField(
            model_name="case",
            name="dossier_version",
            field=models.PositiveIntegerField(default=1),
        ),
    ]
