from django.urls import include, path

from supervisione import views
from supervisione.sessions.views import contracts as contract_pages
from supervisione.supervisors import urls as supervisors_urls

# The contract page keeps its URL and name among the supervisors' (supervisors:contract_detail), but shows the
# hours its sessions used, so its view lives in sessions, above supervisors; it joins the supervisors' URLs
# here, where every app is known, rather than making supervisors import sessions.
supervisors_patterns = [
    *supervisors_urls.urlpatterns,
    path("contratti/<int:pk>/", contract_pages.contract_detail, name="contract_detail"),
]

urlpatterns = [
    path("", include("supervisione.home.urls")),
    path("", include("supervisione.accounts.urls")),
    path("", include("supervisione.territory.urls")),
    path("", include("supervisione.planning.urls")),
    path("", include((supervisors_patterns, supervisors_urls.app_name))),
    path("", include("supervisione.census.urls")),
    path("", include("supervisione.sessions.urls")),
    path("", include("supervisione.monitoring.urls")),
    path("healthz", views.healthz, name="healthz"),
]
