import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role, Unit, User
from areas.models import Assessment
from tests.conftest import client_for
from tests.factories import AssessmentFactory, MembershipFactory, UnitFactory

pytestmark = pytest.mark.django_db

TEAM_AND_OTHERS = ["koordinator", "timkerja", "tpi", "pimpinan", "outsider"]


def test_the_login_page_speaks_indonesian(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Masuk ke ZI Portal" in page and 'lang="id"' in page
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_login_sends_a_returning_user_to_the_landing_page(client, cast):
    # A first sign-in is offered two-factor enrolment instead (tests/accounts/test_two_factor.py).
    cast.koordinator.set_password("sandi-uji-123")
    cast.koordinator.last_login = timezone.now()
    cast.koordinator.save()
    response = client.post(reverse("accounts:login"), {"username": "koordinator", "password": "sandi-uji-123"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_logout_is_a_post(client, cast):
    client_for(client, cast.pimpinan)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_anonymous_visitors_are_sent_to_login(client, cast):
    for url in [reverse("home"), reverse("accounts:password-change"), reverse("accounts:manage"),
                reverse("areas:manage-unit", args=[cast.unit.code]), reverse("accounts:user-create")]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response.url, url


@pytest.mark.parametrize("role, sees, hidden", [
    ("koordinator", "Balai Uji", "Unit Lain"),
    ("timkerja", "Manajemen Perubahan, Penataan Tatalaksana", "Unit Lain"),
    ("tpi", "menilai unit ini secara independen", "Unit Lain"),
    ("outsider", "Unit Lain", "Balai Uji"),
])
def test_each_role_lands_on_its_own_units_and_assessments(client, cast, role, sees, hidden):
    client_for(client, getattr(cast, role))
    page = client.get(reverse("home")).content.decode()
    assert sees in page
    assert hidden not in page
    own = cast.other_assessment if role == "outsider" else cast.assessment
    assert reverse("workspace:start", args=[own.code]) in page


def test_a_pimpinan_of_one_unit_lands_on_its_latest_dashboard_and_can_still_list(client, cast):
    client_for(client, cast.pimpinan)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:unit", args=[cast.assessment.code])
    page = client.get(reverse("home"), {"daftar": "1"}).content.decode()
    assert "memantau kemajuan" in page and "Unit Lain" not in page


def test_a_pimpinan_who_also_holds_another_role_keeps_the_list(client, cast):
    MembershipFactory(user=cast.pimpinan, unit=cast.other_unit, role=Role.KOORDINATOR)
    client_for(client, cast.pimpinan)
    assert client.get(reverse("home")).status_code == 200


def test_the_admin_lands_on_every_unit_with_search_and_pagination(client, cast):
    for n in range(25):
        UnitFactory(name=f"Kantor Cabang {n:02d}")
    client_for(client, cast.admin)
    page = client.get(reverse("home")).content.decode()
    assert "Halaman 1 dari 2" in page
    found = client.get(reverse("home"), {"q": "Lain"}).content.decode()
    assert "Unit Lain" in found and "Balai Uji" not in found


def test_a_user_without_units_sees_an_explanation(client, db):
    lonely = User.objects.create_user("sendiri", password="sandi-uji-123")
    client_for(client, lonely)
    assert "belum terdaftar di unit kerja mana pun" in client.get(reverse("home")).content.decode()


def test_the_landing_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    client_for(client, cast.timkerja)
    client.get(reverse("home"))
    # session, user, memberships (+unit), membership areas, assessments (+instrument), the bell's
    # unread count, and the tim kerja's four "Tugas saya" counts for each open assessment
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    # The list of units and assessments stays flat however many units …
    extra = []
    for n in range(4):
        unit = UnitFactory(name=f"Unit Tambahan {n}")
        MembershipFactory(user=cast.timkerja, unit=unit, role=Role.TIM_KERJA, areas=[cast.areas["PW"]])
        extra.append(AssessmentFactory(unit=unit, instrument=cast.assessment.instrument, stage="final"))
    with django_assert_num_queries(10):
        client.get(reverse("home"))
    # … while each further open assessment adds its four queue counts (README, known limits).
    for assessment in extra:
        assessment.stage = "pembangunan"
        assessment.save()
    with django_assert_num_queries(10 + 4 * len(extra)):
        client.get(reverse("home"))


@pytest.mark.parametrize("role", TEAM_AND_OTHERS)
def test_management_pages_are_forbidden_to_non_admins(client, cast, role):
    client_for(client, getattr(cast, role))
    assert client.get(reverse("accounts:manage")).status_code == 403
    assert client.get(reverse("areas:manage-unit", args=[cast.unit.code])).status_code == 403
    assert client.get(reverse("accounts:user-create")).status_code == 403
    member = Membership.objects.get(user=cast.pimpinan)
    url = reverse("accounts:membership-delete", args=[cast.unit.code, member.code])
    assert client.post(url).status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()


def test_the_admin_creates_a_unit_adds_members_and_an_assessment(client, cast, instrument_90):
    client_for(client, cast.admin)
    response = client.post(reverse("accounts:manage"), {"name": "Loka Baru", "instansi": cast.unit.instansi.pk,
                                                        "city": "Kendari", "is_active": "on"})
    unit = Unit.objects.get(name="Loka Baru")
    assert response.url == reverse("areas:manage-unit", args=[unit.code])
    url = reverse("areas:manage-unit", args=[unit.code])
    client.post(url, {"add_member": "1", "user": cast.timkerja.pk, "role": Role.TIM_KERJA,
                      "areas": [cast.areas["SDM"].pk]})
    assert list(Membership.objects.get(unit=unit).areas.values_list("code", flat=True)) == ["SDM"]
    client.post(url, {"add_assessment": "1", "year": 2026, "instrument": instrument_90.pk,
                      "pembangunan_deadline": "2026-06-30", "mandiri_deadline": "2026-08-31"})
    assert Assessment.objects.filter(unit=unit, year=2026).exists()
    page = client.get(url).content.decode()
    assert "Budi" in page or "timkerja" in page


def test_deadlines_out_of_order_are_refused(client, cast, instrument_90):
    client_for(client, cast.admin)
    url = reverse("areas:manage-unit", args=[cast.other_unit.code])
    page = client.post(url, {"add_assessment": "1", "year": 2030, "instrument": instrument_90.pk,
                             "pembangunan_deadline": "2030-09-30", "mandiri_deadline": "2030-08-31"}).content.decode()
    assert "harus berurutan" in page
    assert not Assessment.objects.filter(year=2030).exists()


def test_a_second_assessment_for_the_same_year_is_refused(client, cast, instrument_90):
    client_for(client, cast.admin)
    url = reverse("areas:manage-unit", args=[cast.unit.code])
    page = client.post(url, {"add_assessment": "1", "year": cast.assessment.year,
                             "instrument": instrument_90.pk}).content.decode()
    assert "sudah memiliki penilaian" in page
    assert Assessment.objects.filter(unit=cast.unit).count() == 1


def test_the_admin_removes_a_member_after_confirmation(client, cast):
    client_for(client, cast.admin)
    member = Membership.objects.get(user=cast.pimpinan)
    page = client.get(reverse("areas:manage-unit", args=[cast.unit.code])).content.decode()
    assert "data-confirm" in page  # the browser asks before removing
    assert client.get(reverse("accounts:membership-delete", args=[cast.unit.code, member.code])).status_code == 405
    client.post(reverse("accounts:membership-delete", args=[cast.unit.code, member.code]))
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_a_membership_of_another_unit_cannot_be_removed_through_this_unit(client, cast):
    client_for(client, cast.admin)
    member = Membership.objects.get(user=cast.outsider)
    url = reverse("accounts:membership-delete", args=[cast.unit.code, member.code])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=member.pk).exists()


def test_the_admin_creates_a_user(client, cast):
    client_for(client, cast.admin)
    client.post(reverse("accounts:user-create"), {
        "username": "baru", "full_name": "Orang Baru", "nip": "198001012005011001", "email": "",
        "password": "sandi-panjang-99"})
    user = User.objects.get(username="baru")
    assert user.check_password("sandi-panjang-99") and user.nip == "198001012005011001"


@pytest.mark.parametrize("role", ["admin", *TEAM_AND_OTHERS])
def test_every_user_may_change_their_password(client, cast, role):
    user = getattr(cast, role)
    user.set_password("sandi-lama-123")
    user.save()
    client_for(client, user)
    assert client.get(reverse("accounts:password-change")).status_code == 200
    response = client.post(reverse("accounts:password-change"), {
        "old_password": "sandi-lama-123", "new_password1": "Sandi-Baru-2026!", "new_password2": "Sandi-Baru-2026!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Sandi-Baru-2026!")
