from django.urls import path

from supervisione.sessions.views import calendars, documents, register, sessions

app_name = "sessions"

urlpatterns = [
    path("calendario/", calendars.calendar_home, name="home"),
    path("calendario/partenariato/<str:code>/", calendars.partnership_calendar, name="partnership_calendar"),
    path("calendario/ats/<str:code>/", calendars.ambito_calendar, name="ambito_calendar"),
    path("calendario/gruppo/<int:pk>/", calendars.group_calendar, name="group_calendar"),
    path("calendario/gruppo/<int:group_pk>/nuovo/", sessions.session_create, name="session_create"),
    path("calendario/supervisore/<int:pk>/", calendars.supervisor_calendar, name="supervisor_calendar"),
    path("calendario/persona/<int:pk>/", calendars.person_calendar, name="person_calendar"),
    path("calendario/abbonamento/", calendars.feed_settings, name="feed_settings"),
    path("calendario/ics/<str:token>/", calendars.feed, name="feed"),
    path("calendario/ics/<str:token>/gruppo/<int:pk>/", calendars.group_feed, name="group_feed"),
    path("incontri/oggi/", documents.today, name="today"),
    path("incontri/presenza/", register.checkin_view, name="checkin"),
    path("incontri/verifica/", documents.verify, name="verify"),
    path("incontri/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("incontri/<int:pk>/sposta/", sessions.session_reschedule, name="session_reschedule"),
    path("incontri/<int:pk>/annulla/", sessions.session_cancel, name="session_cancel"),
    path("incontri/<int:pk>/registro/", register.register, name="register"),
    path("incontri/<int:pk>/registro/conferma/", register.register_confirm, name="register_confirm"),
    path("incontri/<int:pk>/codice/", register.checkin_code, name="checkin_code"),
    path("incontri/<int:pk>/argomenti/", register.topics_save, name="topics_save"),
    path("incontri/<int:pk>/nota/", register.note_save, name="note_save"),
    path("incontri/<int:pk>/foglio-firme.pdf", documents.signin_sheet, name="signin_sheet"),
    path("incontri/<int:pk>/registro/emetti/", documents.register_issue, name="register_issue"),
    path("incontri/<int:pk>/registro/v<int:version>.pdf", documents.register_download, name="register_download"),
    path("incontri/<int:pk>/fogli-firmati/", documents.scan_upload, name="scan_upload"),
    path("incontri/<int:pk>/fogli-firmati/<int:scan_pk>/", documents.scan_download, name="scan_download"),
    path("persone/<int:pk>/attestato/", documents.certificate_view, name="certificate"),
    path("supervisori/<int:pk>/foglio-ore/", documents.timesheet_view, name="timesheet"),
]
