from django.urls import path

from supervisione.procurement.views import agreements, contracts, documents

app_name = "procurement"

urlpatterns = [
    path("contratti/", contracts.contract_list, name="contract_list"),
    path("contratti/nuovo/", contracts.contract_create, name="contract_create"),
    # contratti/<int:pk>/ (contract_detail) is added in supervisione/urls.py: the page shows the hours and money
    # the contract's sessions used, so its view is sessions' (sessions.views.contracts).
    path("contratti/<int:pk>/modifica/", contracts.contract_edit, name="contract_edit"),
    path("contratti/<int:pk>/righe/nuova/", contracts.line_add, name="line_add"),
    path("contratti/<int:pk>/righe/<int:line_pk>/", contracts.line_edit, name="line_edit"),
    path("contratti/<int:pk>/righe/<int:line_pk>/elimina/", contracts.line_delete, name="line_delete"),
    path("contratti/<int:pk>/finanziamenti/nuovo/", contracts.funding_add, name="funding_add"),
    path("contratti/<int:pk>/finanziamenti/<int:funding_pk>/", contracts.funding_edit, name="funding_edit"),
    path(
        "contratti/<int:pk>/finanziamenti/<int:funding_pk>/elimina/",
        contracts.funding_delete,
        name="funding_delete",
    ),
    path("contratti/<int:pk>/scadenze/nuova/", contracts.deadline_add, name="deadline_add"),
    path(
        "contratti/<int:pk>/scadenze/<int:deadline_pk>/proroga/",
        contracts.deadline_postpone,
        name="deadline_postpone",
    ),
    path("contratti/<int:pk>/documenti/nuovo/", contracts.contract_document_add, name="contract_document_add"),
    path(
        "contratti/<int:pk>/documenti/<int:document_pk>/",
        documents.contract_document_download,
        name="contract_document_download",
    ),
    path(
        "contratti/<int:pk>/documenti/<int:document_pk>/elimina/",
        documents.contract_document_delete,
        name="contract_document_delete",
    ),
    path("contratti/<int:pk>/coprogettazione/", contracts.codesign_edit, name="codesign_edit"),
    path("contratti/<int:pk>/coprogettazione/componenti/nuovo/", contracts.member_add, name="member_add"),
    path(
        "contratti/<int:pk>/coprogettazione/componenti/<int:member_pk>/elimina/",
        contracts.member_delete,
        name="member_delete",
    ),
    # The partnership's agreements on the FNPS quotas (linked from the partnership and the contract pages).
    path("partenariati/<str:code>/accordi/", agreements.agreement_list, name="agreement_list"),
    path("partenariati/<str:code>/accordi/nuovo/", agreements.agreement_create, name="agreement_create"),
    path("partenariati/<str:code>/accordi/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("partenariati/<str:code>/accordi/<int:pk>/modifica/", agreements.agreement_edit, name="agreement_edit"),
    path("partenariati/<str:code>/accordi/<int:pk>/elimina/", agreements.agreement_delete, name="agreement_delete"),
]
