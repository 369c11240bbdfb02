from django.urls import path

from supervisione.territory.views import ambiti, municipalities, organisations, partnerships, regions

app_name = "territory"

urlpatterns = [
    path("regioni/", regions.region_list, name="region_list"),
    path("regioni/nuova/", regions.region_create, name="region_create"),
    path("regioni/<str:istat_code>/", regions.region_detail, name="region_detail"),
    path("regioni/<str:istat_code>/modifica/", regions.region_edit, name="region_edit"),
    path("comuni/", municipalities.municipality_list, name="municipality_list"),
    path("comuni/nuovo/", municipalities.municipality_create, name="municipality_create"),
    path("comuni/<str:istat_code>/", municipalities.municipality_detail, name="municipality_detail"),
    path("comuni/<str:istat_code>/modifica/", municipalities.municipality_edit, name="municipality_edit"),
    path("comuni/<str:istat_code>/popolazione/", municipalities.population_add, name="population_add"),
    path("ambiti/", ambiti.ambito_list, name="ambito_list"),
    path("ambiti/nuovo/", ambiti.ambito_create, name="ambito_create"),
    path("ambiti/<str:code>/", ambiti.ambito_detail, name="ambito_detail"),
    path("ambiti/<str:code>/modifica/", ambiti.ambito_edit, name="ambito_edit"),
    path("ambiti/<str:code>/comuni/aggiungi/", ambiti.membership_add, name="membership_add"),
    path("ambiti/<str:code>/comuni/aggiungi-piu/", ambiti.membership_bulk_add, name="membership_bulk_add"),
    path("ambiti/<str:code>/comuni/<int:pk>/chiudi/", ambiti.membership_end, name="membership_end"),
    path("ambiti/<str:code>/popolazione/", ambiti.population_bulk, name="population_bulk"),
    path("partenariati/", partnerships.partnership_list, name="partnership_list"),
    path("partenariati/nuovo/", partnerships.partnership_create, name="partnership_create"),
    path("partenariati/<str:code>/", partnerships.partnership_detail, name="partnership_detail"),
    path("partenariati/<str:code>/modifica/", partnerships.partnership_edit, name="partnership_edit"),
    path("partenariati/<str:code>/ats/aggiungi/", partnerships.member_add, name="member_add"),
    path("partenariati/<str:code>/ats/<int:pk>/togli/", partnerships.member_remove, name="member_remove"),
    path("adesioni/<int:pk>/", partnerships.join_request_detail, name="join_request_detail"),
    path("adesioni/<int:pk>/accetta/", partnerships.join_request_accept, name="join_request_accept"),
    path("adesioni/<int:pk>/rifiuta/", partnerships.join_request_refuse, name="join_request_refuse"),
    path("adesioni/<int:pk>/ritira/", partnerships.join_request_withdraw, name="join_request_withdraw"),
    path("organizzazioni/", organisations.organisation_list, name="organisation_list"),
    path("organizzazioni/nuova/", organisations.organisation_create, name="organisation_create"),
    path("organizzazioni/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organizzazioni/<int:pk>/modifica/", organisations.organisation_edit, name="organisation_edit"),
]
