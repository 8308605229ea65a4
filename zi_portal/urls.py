from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from queues import views as queue_views

admin.site.site_header = "Administrasi ZI Portal"
admin.site.site_title = "ZI Portal"

urlpatterns = [
    path("", queue_views.home, name="home"),
    path("akun/", include("accounts.urls")),
    path("", include("areas.urls")),
    path("", include("workspace.urls")),
    path("bukti/", include("evidence.urls")),
    path("nilai/", include("scoring.urls")),
    path("rencana/", include("plans.urls")),
    path("laporan/", include("reports.urls")),
    path("dasbor/", include("dashboards.urls")),
    path("notifikasi/", include("notifications.urls")),
    path("tugas/", include("queues.urls")),
    path("pengusulan/", include("portal.urls")),
    path("api/portalrb/", include("portal.api_urls")),
    path("evaluasi/", include("portal.evaluator_urls")),
    path("audit/", include("audit.urls")),
    path("django-admin/", admin.site.urls),
    # Browsers and bookmarks ask for /favicon.ico whatever the page says; send them to the SVG.
    path("favicon.ico", RedirectView.as_view(url=static("img/favicon.svg"), permanent=True)),
]
