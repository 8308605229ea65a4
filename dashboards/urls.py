from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("penilaian/<uuid:code>/", views.unit_dashboard, name="unit"),
]
