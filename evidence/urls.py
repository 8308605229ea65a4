from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("penilaian/<uuid:code>/pertanyaan/<str:path>/", views.question, name="question"),
    path("penilaian/<uuid:code>/pertanyaan/<str:path>/unggah/", views.upload, name="upload"),
    path("penilaian/<uuid:code>/pertanyaan/<str:path>/tautan/", views.add_link, name="link"),
    path("penilaian/<uuid:code>/pertanyaan/<str:path>/ajukan/", views.submit, name="submit"),
    path("penilaian/<uuid:code>/pertanyaan/<str:path>/komentar/", views.comment, name="comment"),
    path("penilaian/<uuid:code>/indikator/<str:path>/ajukan/", views.submit_indicator, name="submit-indicator"),
    path("item/<uuid:code>/", views.detail, name="detail"),
    path("item/<uuid:code>/versi/", views.add_version, name="add-version"),
    path("item/<uuid:code>/ubah/", views.edit, name="edit"),
    path("item/<uuid:code>/tarik/", views.withdraw, name="withdraw"),
    path("item/<uuid:code>/terima/", views.accept, name="accept"),
    path("item/<uuid:code>/perbaikan/", views.request_revision, name="revision"),
    path("berkas/<uuid:code>/unduh/", views.download, name="download"),
    path("berkas/<uuid:code>/pratinjau/", views.preview, name="preview"),
]
