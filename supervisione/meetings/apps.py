from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "supervisione.meetings"
    verbose_name = "Riunioni e verbali"
