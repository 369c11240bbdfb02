from django.urls import path, re_path

from supervisione.monitoring.views import dashboards, documents, evidence, jobs, pnrr, pools

app_name = "monitoring"

urlpatterns = [
    path("monitoraggio/", dashboards.index, name="index"),
    path("monitoraggio/osservatorio/", dashboards.observatory, name="observatory"),
    path("monitoraggio/partenariati/<str:code>/", dashboards.partnership, name="partnership"),
    path("monitoraggio/partenariati/<str:code>/relazione/", documents.partnership_report, name="partnership_report"),
    path("monitoraggio/partenariati/<str:code>/pacchetto-pnrr/", evidence.evidence_pack, name="evidence_pack"),
    path(
        "monitoraggio/partenariati/<str:code>/pacchetto-pnrr/<int:pk>/",
        evidence.evidence_pack_job,
        name="evidence_pack_job",
    ),
    path(
        "monitoraggio/partenariati/<str:code>/pacchetto-pnrr/<int:pk>/avanzamento/",
        evidence.evidence_pack_progress,
        name="evidence_pack_progress",
    ),
    path(
        "monitoraggio/partenariati/<str:code>/pacchetto-pnrr/<int:pk>/scarica/",
        evidence.evidence_pack_download,
        name="evidence_pack_download",
    ),
    path("monitoraggio/ats/<str:code>/", dashboards.ambito, name="ambito"),
    path("monitoraggio/ats/<str:code>/relazione/", documents.ambito_report, name="ambito_report"),
    path("monitoraggio/gruppi/<int:pk>/", dashboards.group, name="group"),
    path("monitoraggio/supervisori/<int:pk>/", dashboards.supervisor, name="supervisor"),
    path("monitoraggio/persone/<int:pk>/", dashboards.person, name="person"),
    path("monitoraggio/piani/<int:pk>/poa.xlsx", documents.poa_monitoring, name="poa_monitoring"),
    path("monitoraggio/piani/<int:pk>/monte-ore-a2/", pools.a2_pools, name="a2_pools"),
    path("monitoraggio/avvisi/", dashboards.alerts, name="alerts"),
    path("monitoraggio/documenti/<int:pk>/", jobs.document_job, name="document_job"),
    path("monitoraggio/documenti/<int:pk>/avanzamento/", jobs.document_job_progress, name="document_job_progress"),
    path("monitoraggio/documenti/<int:pk>/scarica/", jobs.document_job_download, name="document_job_download"),
    # The PNRR project's final documents, beside its close-out page (funding:pnrr_closeout).
    path(
        "partenariati/<str:code>/pnrr/<str:cup>/relazione-finale/",
        pnrr.final_report_page,
        name="pnrr_final_report_page",
    ),
    re_path(
        r"^partenariati/(?P<code>[^/]+)/pnrr/(?P<cup>[^/]+)/relazione-finale\.(?P<extension>pdf|docx)$",
        pnrr.final_report,
        name="pnrr_final_report",
    ),
    re_path(
        r"^partenariati/(?P<code>[^/]+)/pnrr/(?P<cup>[^/]+)/regis\.(?P<extension>csv|xlsx)$",
        pnrr.regis_extract,
        name="pnrr_regis",
    ),
]
