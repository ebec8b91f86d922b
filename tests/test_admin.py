"""The Django admin: only at ADMIN_URL (none at all without it), only for staff, only with a second factor."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import get_resolver

import config.urls
from tests.conftest import totp_code

SECRET = "JBSWY3DPEHPK3PXP"


@pytest.fixture
def admin_url(settings):
    settings.ADMIN_URL = "manage-7f3a"
    settings.ROOT_URLCONF = "tests.admin_urls"  # config/urls.py reads ADMIN_URL once, when it loads
    return "/manage-7f3a/"


@pytest.fixture
def staff(make_person):
    return make_person(is_staff=True, is_superuser=True)


def sign_in(client, person, code=None):
    response = client.post("/accounts/login/", {"login": person.email, "password": "pw-for-tests"})
    if code:
        response = client.post("/accounts/2fa/authenticate/", {"code": code})
    return response


def test_no_admin_without_its_path(client, staff, settings):
    assert settings.ADMIN_URL == ""
    assert not any("admin" in str(pattern.pattern) for pattern in config.urls.urlpatterns)
    assert not any(name.startswith("admin") for name in get_resolver().app_dict)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 404


def test_a_visitor_is_sent_to_the_sites_sign_in(client, admin_url, db):
    response = client.get(admin_url, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/manage-7f3a/"


def test_the_admins_own_password_form_signs_nobody_in(client, admin_url, staff):
    response = client.post(f"{admin_url}login/", {"username": staff.email, "password": "pw-for-tests"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.get("/today/").status_code == 302


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, admin_url, staff):
    sign_in(client, staff)
    response = client.get(admin_url, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/"
    assert "The admin needs a second factor" in response.content.decode()


def test_staff_signed_in_with_a_second_factor_get_in(client, admin_url, staff, clock):
    TOTP.activate(staff, SECRET)
    response = sign_in(client, staff, code=totp_code(SECRET))
    assert response.url == "/today/"
    response = client.get(admin_url)
    assert response.status_code == 200 and "Microwins admin" in response.content.decode()


def test_staff_signed_in_some_other_way_confirm_with_the_factor(client, admin_url, staff, clock):
    TOTP.activate(staff, SECRET)
    client.force_login(staff)  # e.g. a session from before the factor was added
    response = client.get(admin_url, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/2fa/reauthenticate/?next=%2Fmanage-7f3a%2F"
    response = client.post("/accounts/2fa/reauthenticate/?next=/manage-7f3a/", {"code": totp_code(SECRET)})
    assert response.status_code == 302 and response.url == admin_url
    assert client.get(admin_url).status_code == 200


def test_people_who_are_not_staff_are_refused(client, admin_url, make_person, clock):
    person = make_person()
    TOTP.activate(person, SECRET)
    sign_in(client, person, code=totp_code(SECRET))
    assert client.get(admin_url, follow=True).status_code == 403


@pytest.fixture
def staff_in(client, admin_url, staff, clock):
    """A staff member signed in with their second factor, on the admin."""
    TOTP.activate(staff, SECRET)
    sign_in(client, staff, code=totp_code(SECRET))
    return client


def test_sessions_are_searched_by_address(staff_in, admin_url, staff):
    sessions = f"{admin_url}usersessions/usersession/"
    response = staff_in.get(sessions, {"q": staff.email})
    assert response.status_code == 200 and response.content.decode().count('class="field-ip"') == 1
    assert staff_in.get(sessions, {"q": "nobody@example.org"}).content.decode().count('class="field-ip"') == 0


def test_nobody_reads_a_second_factors_secret(staff_in, admin_url, make_person):
    person = make_person()
    totp = TOTP.activate(person, "KRSXG5CTMVRXEZLU").instance
    stored = totp.data["secret"]
    listing = staff_in.get(f"{admin_url}mfa/authenticator/")
    assert listing.status_code == 200 and person.display_name in listing.content.decode()
    page = staff_in.get(f"{admin_url}mfa/authenticator/{totp.pk}/change/")
    assert page.status_code == 200
    assert stored not in page.content.decode() and "KRSXG5CTMVRXEZLU" not in page.content.decode()
    response = staff_in.post(f"{admin_url}mfa/authenticator/{totp.pk}/change/", {"data": "{}"})
    assert response.status_code == 403
    assert staff_in.get(f"{admin_url}mfa/authenticator/add/").status_code == 403
