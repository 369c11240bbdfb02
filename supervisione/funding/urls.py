from django.urls import path

from supervisione.funding.views import fnps, funds, imports, pnrr, sioss

app_name = "funding"

urlpatterns = [
    path("ambiti/<str:code>/fondi/", funds.ambito_funds_page, name="ambito_funds"),
    path("ambiti/<str:code>/fondi/stanziamenti/nuovo/", funds.allocation_create, name="allocation_create"),
    path("ambiti/<str:code>/fondi/stanziamenti/<int:pk>/modifica/", funds.allocation_edit, name="allocation_edit"),
    path("ambiti/<str:code>/fondi/stanziamenti/<int:pk>/elimina/", funds.allocation_delete, name="allocation_delete"),
    path("ambiti/<str:code>/fondi/stanziamenti/<int:pk>/<str:stage>/nuovo/", funds.entry_create, name="entry_create"),
    path("ambiti/<str:code>/fondi/atti/<int:pk>/modifica/", funds.entry_edit, name="entry_edit"),
    path("ambiti/<str:code>/fondi/atti/<int:pk>/elimina/", funds.entry_delete, name="entry_delete"),
    path("ambiti/<str:code>/fondi/importa/", imports.ledger_import, name="ledger_import"),
    path("ambiti/<str:code>/fondi/importa/conferma/", imports.ledger_import_confirm, name="ledger_import_confirm"),
    path("ambiti/<str:code>/fondi/sioss/<int:year>/", sioss.sioss_export, name="sioss_export"),
    path("fondi/modello-atti-contabili.xlsx", imports.import_template, name="import_template"),
    # The co-financing what-if of a partnership keeps the address it had under planning.
    path("poa/fnps/<str:code>/", fnps.fnps, name="fnps"),
    path("partenariati/<str:code>/pnrr/", pnrr.projects, name="pnrr_projects"),
    path("partenariati/<str:code>/pnrr/<str:cup>/dopo-la-fine/", pnrr.after_end_page, name="pnrr_after_end"),
    path("partenariati/<str:code>/pnrr/<str:cup>/chiusura/", pnrr.closeout_page, name="pnrr_closeout"),
]
