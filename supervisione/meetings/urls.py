from django.urls import path

from supervisione.meetings import codesign_views, task_views, views

app_name = "meetings"

urlpatterns = [
    path("riunioni/", views.meeting_list, name="meeting_list"),
    path(
        "partenariati/<str:code>/riunioni/nuova/", views.meeting_create_partnership, name="meeting_create_partnership"
    ),
    path("ambiti/<str:code>/riunioni/nuova/", views.meeting_create_ambito, name="meeting_create_ambito"),
    # A sitting of a contract's co-design table (the contract page's «Registra una seduta»).
    path(
        "contratti/<int:pk>/coprogettazione/sedute/nuova/",
        codesign_views.sitting_create,
        name="codesign_sitting_create",
    ),
    path("riunioni/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("riunioni/<int:pk>/modifica/", views.meeting_edit, name="meeting_edit"),
    path("riunioni/<int:pk>/invitati/nuovo/", views.invitee_add, name="invitee_add"),
    path("riunioni/<int:pk>/invitati/<int:invitee_pk>/elimina/", views.invitee_delete, name="invitee_delete"),
    path("riunioni/<int:pk>/convocazione.pdf", views.letter, name="letter"),
    path("riunioni/<int:pk>/convoca/", views.convene, name="convene"),
    path("riunioni/<int:pk>/annulla/", views.cancel, name="cancel"),
    path("riunioni/risposta/<str:token>/", views.answer, name="answer"),
    path("riunioni/<int:pk>/verbale/", views.minutes_edit, name="minutes_edit"),
    path("riunioni/<int:pk>/verbale/approva/", views.minutes_approve, name="minutes_approve"),
    path("riunioni/<int:pk>/verbale/decisioni/nuova/", views.decision_add, name="decision_add"),
    path(
        "riunioni/<int:pk>/verbale/decisioni/<int:decision_pk>/elimina/",
        views.decision_delete,
        name="decision_delete",
    ),
    path("riunioni/<int:pk>/verbale/ats/<int:row_pk>/", views.ambito_decision_edit, name="ambito_decision_edit"),
    path("riunioni/<int:pk>/verbale.pdf", views.minutes_pdf_view, name="minutes_pdf"),
    path("riunioni/<int:pk>/verbale.docx", views.minutes_docx_view, name="minutes_docx"),
    path("riunioni/richieste/", task_views.task_list, name="task_list"),
    path("riunioni/richieste/<int:pk>/", task_views.task_detail, name="task_detail"),
    path("riunioni/richieste/<int:pk>/modifica/", task_views.task_edit, name="task_edit"),
    path("riunioni/<int:pk>/richieste/nuova/", task_views.task_create_meeting, name="task_create_meeting"),
    path(
        "partenariati/<str:code>/richieste/nuova/", task_views.task_create_partnership, name="task_create_partnership"
    ),
    path("ambiti/<str:code>/richieste/nuova/", task_views.task_create_ambito, name="task_create_ambito"),
    path("riunioni/<int:pk>/verbale/decisioni/<int:decision_pk>/chiedi/", task_views.decision_ask, name="decision_ask"),
]
