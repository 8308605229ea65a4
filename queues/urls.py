from django.urls import path

from . import views

app_name = "queues"

urlpatterns = [
    path("", views.index, name="index"),
    path("<uuid:code>/bukti/", views.evidence_list, name="evidence"),
    path("<uuid:code>/pertanyaan/", views.question_list, name="questions"),
    path("<uuid:code>/rencana/", views.plan_list, name="plans"),
]
