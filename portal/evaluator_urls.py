from django.urls import path

from . import evaluator

app_name = "evaluator"

urlpatterns = [
    path("<uuid:code>/<str:path>/<str:sig>/", evaluator.page, name="page"),
    path("<uuid:code>/<str:path>/<str:sig>/berkas/<uuid:version>/", evaluator.download, name="download"),
]
