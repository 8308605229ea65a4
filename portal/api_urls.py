from django.urls import path, re_path

from . import api

app_name = "portalrb"

urlpatterns = [
    path("pengusulan/unit-wbk", api.unit_wbk, name="unit-wbk"),
    path("pengusulan/unit-wbbm", api.unit_wbbm, name="unit-wbbm"),
    path("lke/jawaban-unit/<str:unit_id>", api.jawaban_unit, name="jawaban-unit"),
    re_path(r"^(?P<rest>.*)$", api.not_found, name="not-found"),
]
