from django.urls import include, path

from supervisione import views
from supervisione.procurement import urls as procurement_urls
from supervisione.sessions.views import contracts as contract_pages

# The contract page keeps its URL and name among procurement's (procurement:contract_detail), but shows the
# hours its sessions used, so its view lives in sessions, above procurement; it joins procurement's URLs
# here, where every app is known, rather than making procurement import sessions.
procurement_patterns = [
    *procurement_urls.urlpatterns,
    path("contratti/<int:pk>/", contract_pages.contract_detail, name="contract_detail"),
]

urlpatterns = [
    path("", include("supervisione.home.urls")),
    path("", include("supervisione.accounts.urls")),
    path("", include("supervisione.territory.urls")),
    path("", include("supervisione.planning.urls")),
    path("", include("supervisione.supervisors.urls")),
    path("", include((procurement_patterns, procurement_urls.app_name))),
    path("", include("supervisione.census.urls")),
    path("", include("supervisione.sessions.urls")),
    path("", include("supervisione.meetings.urls")),
    path("", include("supervisione.wellbeing.urls")),
    path("", include("supervisione.funding.urls")),
    path("", include("supervisione.monitoring.urls")),
    path("healthz", views.healthz, name="healthz"),
]

# The 403 page says why and where to go on when the view raised accounts.refusals.Refused.
handler403 = "supervisione.accounts.refusals.permission_denied"
