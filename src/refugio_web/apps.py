from django.apps import AppConfig


class RefugioWebConfig(AppConfig):
    name = "refugio_web"
    verbose_name = "Refugio"

    def ready(self) -> None:
        # Logins, logouts and failed logins are recorded in the audit trail (issue 4, point 4).
        from refugio_web import signals  # noqa: F401
