from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "supervisione.sessions"
    # "sessions" is the label of django.contrib.sessions, installed too.
    label = "supervision_sessions"
    verbose_name = "Calendario, incontri e registri"
