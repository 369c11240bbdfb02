from django.urls import path

from supervisione.planning.views import ats, exports, groups, multifondo, next_year, parameters, plans

app_name = "planning"

urlpatterns = [
    path("regole-leps/", parameters.parameters, name="parameters"),
    path("regole-leps/nuove/", parameters.parameters_create, name="parameters_create"),
    path("regole-leps/<int:pk>/modifica/", parameters.parameters_edit, name="parameters_edit"),
    path("poa/", plans.plan_list, name="plan_list"),
    path("poa/nuovo/", plans.plan_create, name="plan_create"),
    path("poa/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("poa/<int:pk>/modifica/", plans.plan_edit, name="plan_edit"),
    path("poa/<int:pk>/trasmetti/", plans.plan_submit, name="plan_submit"),
    path("poa/<int:pk>/restituisci/", plans.plan_return, name="plan_return"),
    path("poa/<int:pk>/approva/", plans.plan_approve, name="plan_approve"),
    path("poa/<int:pk>/nuova-versione/", plans.plan_new_version, name="plan_new_version"),
    path("poa/<int:pk>/prepara-anno-successivo/", next_year.plan_next_year, name="plan_next_year"),
    path("poa/<int:pk>/elimina/", plans.plan_delete, name="plan_delete"),
    path("poa/<int:pk>/esporta/<str:fmt>/", exports.plan_export, name="plan_export"),
    path("poa/<int:pk>/gruppi/nuovo/<str:kind>/", groups.group_create, name="group_create"),
    path("poa/<int:pk>/gruppi/<int:group_pk>/", groups.group_detail, name="group_detail"),
    path("poa/<int:pk>/gruppi/<int:group_pk>/modifica/", groups.group_edit, name="group_edit"),
    path("poa/<int:pk>/gruppi/<int:group_pk>/partecipanti/", groups.group_members, name="group_members"),
    path("poa/<int:pk>/gruppi/<int:group_pk>/elimina/", groups.group_delete, name="group_delete"),
    path("poa/<int:pk>/ats/<str:code>/", ats.ats_poa, name="ats_poa"),
    path("poa/<int:pk>/ats/<str:code>/esporta/<str:fmt>/", ats.ats_poa_export, name="ats_poa_export"),
    path("poa/multifondo/partenariato/<str:code>/", multifondo.partnership_filings, name="partnership_filings"),
    path("poa/multifondo/<str:code>/<int:year>/", multifondo.filing_detail, name="filing_detail"),
    path("poa/multifondo/<str:code>/<int:year>/stato/", multifondo.filing_status, name="filing_status"),
    path("poa/multifondo/<str:code>/<int:year>/modifica/", multifondo.filing_edit, name="filing_edit"),
]
