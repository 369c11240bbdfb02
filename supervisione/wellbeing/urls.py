from django.urls import path

from supervisione.wellbeing import api, objective_views, views

app_name = "wellbeing"

urlpatterns = [
    path("benessere/", views.wave_list, name="wave_list"),
    path("benessere/partenariati/<str:code>/nuova/", views.wave_create_partnership, name="wave_create_partnership"),
    path("benessere/ambiti/<str:code>/nuova/", views.wave_create_ambito, name="wave_create_ambito"),
    path("benessere/rilevazioni/<int:pk>/", views.wave_detail, name="wave_detail"),
    path("benessere/rilevazioni/<int:pk>/partecipazione/", views.wave_participation, name="wave_participation"),
    path("benessere/rilevazioni/<int:pk>/invita/", views.invite, name="invite"),
    path("benessere/rilevazioni/<int:pk>/sollecita/", views.remind, name="remind"),
    path("benessere/rilevazioni/<int:pk>/chiudi/", views.close, name="close"),
    path("benessere/rilevazioni/<int:pk>/risultati/", views.unit_results, name="results"),
    path("benessere/rilevazioni/<int:pk>/risultati.csv", views.results_csv, name="results_csv"),
    path("benessere/osservatorio/", views.observatory, name="observatory"),
    path(
        "benessere/partenariati/<str:code>/obiettivi/",
        objective_views.partnership_objectives,
        name="objectives_partnership",
    ),
    path("benessere/ambiti/<str:code>/obiettivi/", objective_views.ambito_objectives, name="objectives_ambito"),
    path("benessere/obiettivi/<int:pk>/elimina/", objective_views.remove_objective, name="objective_remove"),
    path("api/benessere/rilevazioni/<int:pk>/risultati/", api.wave_results, name="api_results"),
    path("api/benessere/osservatorio/", api.observatory_results, name="api_observatory"),
    path("benessere/questionario/<str:token>/", views.answer, name="answer"),
]
