from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "supervisione.home"
    verbose_name = "Pagina iniziale"
