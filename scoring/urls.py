from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("<uuid:code>/kesenjangan/", views.gap_analysis, name="gap"),
    path("<uuid:code>/jawaban/<str:path>/riwayat/", views.answer_history, name="history"),
    path("<uuid:code>/jawaban/<str:path>/setuju/", views.answer_agree, name="agree"),
    path("<uuid:code>/jawaban/<str:path>/kembalikan/", views.question_return, name="return"),
    path("<uuid:code>/jawaban/<str:path>/<str:side>/", views.answer_save, name="save"),
]
