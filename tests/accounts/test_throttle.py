"""Failed sign-ins: a username is locked on one address after AXES_FAILURE_LIMIT failures, and an
address that tries many usernames is locked for all of them after AXES_ADDRESS_FAILURE_LIMIT
(password spraying)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "kata-sandi-yang-benar-1"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 20


def sign_in(client, username, password, address="203.0.113.7"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_one_address_spraying_many_usernames_is_locked_out(client, axes_on):
    victim = UserFactory(username="korban", password=PASSWORD)
    for number in range(25):
        sign_in(client, f"pengguna{number}", "Rahasia123!")
    response = sign_in(client, victim.username, PASSWORD)
    assert not signed_in(client)
    assert response.status_code == 429
    # Another address is not affected.
    response = sign_in(client, victim.username, PASSWORD, address="198.51.100.9")
    assert signed_in(client)


def test_a_few_typos_per_person_behind_one_office_address_lock_nobody(client, axes_on):
    people = [UserFactory(username=f"staf{number}", password=PASSWORD) for number in range(5)]
    for person in people[:4]:
        for _ in range(3):
            sign_in(client, person.username, "salah-ketik")
    sign_in(client, people[4].username, PASSWORD)
    assert signed_in(client)


def test_one_username_is_locked_after_five_failures_on_one_address(client, axes_on):
    user = UserFactory(username="sasaran", password=PASSWORD)
    for _ in range(5):
        sign_in(client, user.username, "tebakan")
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)


def test_the_throttle_reads_the_address_from_the_configured_header(client, axes_on, settings):
    settings.EVIDENCE_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    victim = UserFactory(username="korban", password=PASSWORD)
    for number in range(20):
        client.post(reverse("accounts:login"), {"username": f"u{number}", "password": "x"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.50")
    # Same proxy, another client: not locked.
    client.post(reverse("accounts:login"), {"username": victim.username, "password": PASSWORD},
                REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.51")
    assert signed_in(client)
