from django.urls import path

from supervisione.supervisors.views import documents, registry

app_name = "supervisors"

urlpatterns = [
    path("supervisori/", registry.supervisor_list, name="supervisor_list"),
    path("supervisori/nuovo/", registry.supervisor_create, name="supervisor_create"),
    path("supervisori/<int:pk>/", registry.supervisor_detail, name="supervisor_detail"),
    path("supervisori/<int:pk>/modifica/", registry.supervisor_edit, name="supervisor_edit"),
    path("supervisori/<int:pk>/invita/", registry.supervisor_invite, name="supervisor_invite"),
    path("supervisori/<int:pk>/formazione/nuova/", registry.training_add, name="training_add"),
    path("supervisori/<int:pk>/formazione/<int:training_pk>/", registry.training_edit, name="training_edit"),
    path(
        "supervisori/<int:pk>/formazione/<int:training_pk>/elimina/",
        registry.training_delete,
        name="training_delete",
    ),
    path("supervisori/<int:pk>/disponibilita/nuova/", registry.slot_add, name="slot_add"),
    path("supervisori/<int:pk>/disponibilita/<int:slot_pk>/elimina/", registry.slot_delete, name="slot_delete"),
    path("supervisori/<int:pk>/indisponibilita/nuova/", registry.absence_add, name="absence_add"),
    path(
        "supervisori/<int:pk>/indisponibilita/<int:absence_pk>/elimina/",
        registry.absence_delete,
        name="absence_delete",
    ),
    path("supervisori/<int:pk>/documenti/nuovo/", registry.document_add, name="document_add"),
    path("supervisori/<int:pk>/dichiarazioni/nuova/", registry.declaration_add, name="declaration_add"),
    path("documenti/<int:pk>/", documents.document_download, name="document_download"),
    path("documenti/<int:pk>/elimina/", documents.document_delete, name="document_delete"),
]
