from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("instansi/<uuid:code>/", views.instansi_detail, name="instansi"),
    path("penilaian/<uuid:code>/persyaratan/", views.checklist, name="checklist"),
    path("penilaian/<uuid:code>/riwayat-predikat/", views.award_add, name="award-add"),
    path("penilaian/<uuid:code>/usulkan/", views.propose, name="propose"),
    path("usulan/<uuid:code>/", views.proposal_detail, name="proposal"),
    path("dokumen/<str:kind>/<uuid:code>/", views.document, name="document"),
]
