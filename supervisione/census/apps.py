from django.apps import AppConfig


class CensusConfig(AppConfig):
    name = "supervisione.census"
    verbose_name = "Censimento del personale e referenti"
