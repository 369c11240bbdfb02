from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    name = "supervisione.territory"
    verbose_name = "Territorio e organizzazioni"
