"""Cases get members (issue 4, point 2); applicants become a role.

Existing cases keep the people who could reach them before (everyone of their organisation), so
nobody loses access at the upgrade; admins narrow it down on each case's people page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import migrations, models


def keep_access(apps: Any, schema_editor: Any) -> None:
    case_model = apps.get_model("refugio_web", "Case")
    user_model = apps.get_model("refugio_web", "User")
    for case in case_model.objects.all():
        people = user_model.objects.filter(organisation_id=case.organisation_id)
        case.members.add(*people.exclude(role="admin"))


class Migration(migrations.Migration):
    dependencies = [("refugio_web", "0005_case_sealed")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="members",
            field=models.ManyToManyField(
                blank=True, related_name="assigned_cases", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "Organisation admin"),
                    ("representative", "Representative"),
                    ("staff", "Staff"),
                    ("interpreter", "Interpreter"),
                    ("applicant", "Applicant"),
                ],
                default="representative",
                max_length=20,
            ),
        ),
        migrations.RunPython(keep_access, migrations.RunPython.noop),
    ]
