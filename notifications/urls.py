from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("baca-semua/", views.mark_all_read, name="read-all"),
    path("preferensi/", views.preferences, name="preferences"),
    path("<uuid:code>/", views.open_notification, name="open"),
    path("<uuid:code>/baca/", views.mark_read, name="read"),
]
