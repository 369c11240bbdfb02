from django.urls import include, path

from supervisione import views

urlpatterns = [
    path("", include("supervisione.home.urls")),
    path("", include("supervisione.accounts.urls")),
    path("", include("supervisione.territory.urls")),
    path("", include("supervisione.planning.urls")),
    path("", include("supervisione.supervisors.urls")),
    path("", include("supervisione.census.urls")),
    path("", include("supervisione.sessions.urls")),
    path("", include("supervisione.monitoring.urls")),
    path("healthz", views.healthz, name="healthz"),
]
