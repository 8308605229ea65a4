from django.urls import path

from . import unit_views, views

app_name = "areas"

urlpatterns = [
    path("instrumen/", views.instrument_list, name="instruments"),
    path("instrumen/<uuid:uuid>/", views.instrument_detail, name="instrument"),
    path("penilaian/<uuid:code>/tahap/", views.assessment_stage, name="stage"),
    path("akun/kelola/unit/<uuid:code>/", unit_views.manage_unit, name="manage-unit"),
]
