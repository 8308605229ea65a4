from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from queues import views as queue_views

admin.site.site_header = "Administrasi ZI Portal"
admin.site.site_title = "ZI Portal"


def favicon(request):
    # Resolved per request: with the manifest storage of production the hashed name is only known
    # after collectstatic, which must not be needed to import the URL configuration.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


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
    path("favicon.ico", favicon),
]
