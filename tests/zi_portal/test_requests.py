"""Request and response rules that hold for every page (zi_portal/middleware.py): NUL in query
parameters never reaches a view or the database, signed-in pages are never cached, the
Permissions-Policy header is everywhere, and the error pages are Indonesian and free of inline
code."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

BAD_VALUES = ["%00", "a%00b", "%00%00", "%C0%80"]


def list_pages(cast):
    """Every page that reads filters or a page number from the query string, and Django admin
    changelists (search, filters, date drill-down)."""
    assessment = cast.assessment.code
    return [
        (cast.koordinator, reverse("home"), ["q", "page"]),
        (cast.admin, reverse("accounts:manage"), ["q", "page"]),
        (cast.koordinator, reverse("workspace:area", args=[assessment, "mp"]), ["saring"]),
        (cast.koordinator, reverse("plans:list", args=[assessment]), ["area", "pic", "status", "late"]),
        (cast.koordinator, reverse("reports:mine"), ["page"]),
        (cast.admin, reverse("dashboards:overview"), ["tahun", "halaman", "q"]),
        (cast.admin, reverse("admin:accounts_user_changelist"), ["q", "is_active__exact", "o"]),
        (cast.admin, reverse("admin:evidence_evidence_changelist"),
         ["q", "status__exact", "assessment__unit__id__exact"]),
        (cast.admin, reverse("admin:reports_reportjob_changelist"), ["q", "status__exact"]),
    ]


def test_nul_in_any_query_parameter_is_refused_with_400_on_every_list_page(client, cast):
    for user, url, parameters in list_pages(cast):
        client_for(client, user)
        for parameter in parameters + ["anything"]:
            for value in BAD_VALUES[:3]:
                response = client.get(f"{url}?{parameter}={value}")
                assert response.status_code == 400, (url, parameter, value, response.status_code)
                assert "karakter yang tidak sah" in response.content.decode()
        response = client.get(f"{url}?%00=1")
        assert response.status_code == 400, url


def test_other_odd_values_are_ignored_never_a_server_error(client, cast):
    odd = ["%C0%80", "%FF%FE", "'%20OR%201=1--", "x" * 3000, "-1", "99999999999999999999", "%E2%80%AE"]
    for user, url, parameters in list_pages(cast):
        client_for(client, user)
        for parameter in parameters:
            for value in odd:
                response = client.get(f"{url}?{parameter}={value}")
                assert response.status_code in (200, 302, 400), (url, parameter, value, response.status_code)


def test_an_htmx_request_with_nul_gets_a_short_answer(client, cast):
    client_for(client, cast.koordinator)
    response = client.get(reverse("plans:list", args=[cast.assessment.code]) + "?pic=%00",
                          headers={"HX-Request": "true"})
    assert response.status_code == 400 and "tidak sah" in response.json()["error"]


# --- headers --------------------------------------------------------------------------------


def test_every_signed_in_page_says_no_store(client, cast):
    client_for(client, cast.koordinator)
    for url in (reverse("home"), reverse("workspace:overview", args=[cast.assessment.code]),
                reverse("plans:list", args=[cast.assessment.code]), reverse("reports:mine")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_the_anonymous_login_page_carries_the_permissions_policy(client):
    response = Client().get(reverse("accounts:login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_the_permissions_policy_is_on_signed_in_pages_too(client, cast):
    response = client_for(client, cast.tpi).get(reverse("home"))
    assert "geolocation=()" in response["Permissions-Policy"]


# --- error pages ----------------------------------------------------------------------------


def assert_no_inline_code(page: str):
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "inline script"
    assert "style=" not in page and "<style" not in page and " on" + "click=" not in page


def test_the_500_page_is_indonesian_and_renders_without_the_database(client, cast, django_assert_num_queries):
    from django.test import RequestFactory
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in page and "Server Error" not in page
    assert_no_inline_code(page)


def test_a_crashing_view_shows_the_indonesian_500_page(cast, settings):
    settings.ROOT_URLCONF = __name__  # the project's URLs plus one view that crashes
    response = Client(raise_request_exception=False).get("/rusak/")
    assert response.status_code == 500
    assert "Terjadi kesalahan pada server" in response.content.decode()


def _crash(request):
    raise RuntimeError("uji")


from django.urls import include, path  # noqa: E402

urlpatterns = [path("rusak/", _crash), path("", include("zi_portal.urls"))]


def test_the_400_page_is_indonesian(client, cast):
    from django.core.exceptions import SuspiciousOperation
    from django.test import RequestFactory
    from django.views.defaults import bad_request

    response = bad_request(RequestFactory().get("/"), SuspiciousOperation("uji"))
    page = response.content.decode()
    assert response.status_code == 400 and "Permintaan tidak dapat diproses" in page
    assert "Bad Request" not in page
    assert_no_inline_code(page)


@override_settings(DEBUG=False)
def test_the_403_and_404_pages_are_indonesian_without_inline_code(client, cast):
    client_for(client, cast.outsider)
    missing = client.get(reverse("workspace:overview", args=[cast.assessment.code]))
    assert missing.status_code == 404 and "Halaman tidak ditemukan" in missing.content.decode()
    assert_no_inline_code(missing.content.decode())
    client_for(client, cast.pimpinan)
    forbidden = client.post(reverse("plans:carry-over", args=[cast.assessment.code]))
    assert forbidden.status_code == 403 and "tidak diizinkan" in forbidden.content.decode()
    assert_no_inline_code(forbidden.content.decode())
