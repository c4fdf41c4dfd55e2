"""Per-user session generation and login throttle (issue 4, point 3).

Written by hand: other migrations of issue 4 are being written at the same time.

- ``session_generation`` is mixed into ``User.get_session_auth_hash``: incrementing it ends every
  session of the user (logout, password change, disable).
- ``login_failures`` keeps the times of the latest failed sign-ins of the account (at most five)
  for the per-account lockout, which no source address can reset.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("refugio_web", "0003_audit_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="session_generation",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="user",
            name="login_failures",
            field=models.JSONField(default=list),
        ),
    ]
