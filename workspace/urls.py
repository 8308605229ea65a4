from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("penilaian/<uuid:code>/", views.start, name="start"),
    path("penilaian/<uuid:code>/ringkasan/", views.overview, name="overview"),
    path("penilaian/<uuid:code>/area/<slug:slug>/", views.area, name="area"),
    path("penilaian/<uuid:code>/pertanyaan/<str:path>/", views.question, name="question"),
    path("penilaian/<uuid:code>/pertanyaan/<str:path>/baris/", views.question_row, name="row"),
]
