from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "supervisione.accounts"
    verbose_name = "Utenti e ruoli"
