from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "supervisione.meetings"
    verbose_name = "Riunioni e verbali"

    def ready(self) -> None:
        # The contract page lists the sittings of its co-design table, which are meetings, and links to record one
        # (procurement/codesign_sittings.py): procurement sits below this app and never imports it.
        from supervisione.meetings.codesign import record_link, sittings_of  # noqa: PLC0415  (models are loaded now)
        from supervisione.procurement.codesign_sittings import register_sittings  # noqa: PLC0415  (models are loaded now)

        register_sittings(sittings_of, record_link)

        from supervisione.lib import mail  # noqa: PLC0415  (models are loaded now)
        from supervisione.meetings import deliveries  # noqa: PLC0415  (models are loaded now)

        mail.email_delivered.connect(deliveries.mark_delivered, dispatch_uid="meetings.dispatch.delivered")
        mail.email_given_up.connect(deliveries.mark_given_up, dispatch_uid="meetings.dispatch.given_up")
