from django.urls import path

from supervisione.planning.views import parameters

app_name = "planning"

urlpatterns = [
    path("regole-leps/", parameters.parameters, name="parameters"),
    path("regole-leps/nuove/", parameters.parameters_create, name="parameters_create"),
    path("regole-leps/<int:pk>/modifica/", parameters.parameters_edit, name="parameters_edit"),
]
