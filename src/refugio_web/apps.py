from django.apps import AppConfig


class RefugioWebConfig(AppConfig):
    name = "refugio_web"
    verbose_name = "Refugio"
