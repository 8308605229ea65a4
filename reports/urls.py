from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("saya/", views.my_reports, name="mine"),
    path("penilaian/<uuid:code>/", views.assessment_reports, name="index"),
    path("penilaian/<uuid:code>/minta/", views.request_report, name="request"),
    path("jejak-audit/ekspor/", views.audit_export, name="audit-export"),
    path("tugas/<uuid:code>/", views.job_status, name="job"),
    path("tugas/<uuid:code>/unduh/", views.download, name="download"),
]
