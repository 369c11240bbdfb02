from django.urls import path

from supervisione.census.views import campaigns, censuses, imports, people, ratio, referents

app_name = "census"

urlpatterns = [
    path("censimento/", campaigns.index, name="index"),
    path("censimento/modello.xlsx", censuses.import_template, name="import_template"),
    path("censimento/partenariati/<str:code>/campagna/", campaigns.campaign_create, name="campaign_create"),
    path("censimento/partenariati/<str:code>/referenti/", referents.request_create, name="referent_request_create"),
    path("censimento/partenariati/<str:code>/rapporto/", ratio.partnership_ratio_view, name="partnership_ratio"),
    path("censimento/ambiti/<str:code>/rapporto/", ratio.ambito_ratio, name="ambito_ratio"),
    path("censimento/campagne/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("censimento/campagne/<int:pk>/modifica/", campaigns.campaign_edit, name="campaign_edit"),
    path("censimento/campagne/<int:pk>/completa/", campaigns.campaign_add_missing, name="campaign_add_missing"),
    path("censimento/campagne/<int:pk>/esporta.<str:fmt>", censuses.campaign_export, name="campaign_export"),
    path("censimento/campagne/<int:pk>/<str:code>/", censuses.census_detail, name="census_detail"),
    path("censimento/campagne/<int:pk>/<str:code>/trasmetti/", censuses.census_submit, name="census_submit"),
    path("censimento/campagne/<int:pk>/<str:code>/valida/", censuses.census_validate, name="census_validate"),
    path("censimento/campagne/<int:pk>/<str:code>/restituisci/", censuses.census_return, name="census_return"),
    path("censimento/campagne/<int:pk>/<str:code>/sollecita/", censuses.census_remind, name="census_remind"),
    path("censimento/campagne/<int:pk>/<str:code>/riapri/", censuses.census_ask_reopen, name="census_ask_reopen"),
    path("censimento/campagne/<int:pk>/<str:code>/invita/", people.census_invite, name="census_invite"),
    path("censimento/persone/<int:pk>/account/", people.person_account, name="person_account"),
    path("censimento/campagne/<int:pk>/<str:code>/posizioni/nuova/", censuses.position_create, name="position_create"),
    path("censimento/campagne/<int:pk>/<str:code>/esporta.<str:fmt>", censuses.census_export, name="census_export"),
    path("censimento/campagne/<int:pk>/<str:code>/importa/", imports.import_start, name="import_start"),
    path("censimento/posizioni/<int:pk>/", censuses.position_edit, name="position_edit"),
    path("censimento/posizioni/<int:pk>/elimina/", censuses.position_delete, name="position_delete"),
    path("censimento/importazioni/<int:pk>/", imports.import_detail, name="import_detail"),
    path("censimento/importazioni/<int:pk>/avanzamento/", imports.import_progress, name="import_progress"),
    path("censimento/importazioni/<int:pk>/conferma/", imports.import_confirm, name="import_confirm"),
    path("censimento/importazioni/<int:pk>/annulla/", imports.import_cancel, name="import_cancel"),
    path("censimento/referenti/<int:pk>/", referents.request_detail, name="referent_request_detail"),
    path("censimento/referenti/<int:pk>/esporta.<str:fmt>", referents.request_export, name="referent_export"),
    path("censimento/referenti/<int:pk>/<str:code>/", referents.designate, name="referent_designate"),
    path("censimento/referenti/<int:pk>/<str:code>/invita/", referents.designation_invite, name="referent_invite"),
]
