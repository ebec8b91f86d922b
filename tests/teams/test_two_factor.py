"""Two factors (allauth.mfa): an authenticator app set up from /account/, then asked for at sign-in; recovery
codes for when the phone is not at hand. Passkeys are in tests/browser/test_passkeys.py."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from tests.conftest import totp_code

PASSWORD = "pw-for-tests"
SECRET = "JBSWY3DPEHPK3PXP"


def sign_in(client, person):
    return client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})


def confirm_with_password(client):
    """Changing a factor asks for the password again (allauth's reauthentication), good for five minutes."""
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302


def test_setting_up_an_authenticator_app(client, make_person, clock):
    person = make_person()
    sign_in(client, person)
    body = client.get("/account/").content.decode()
    assert 'href="/accounts/2fa/totp/activate/"' in body
    assert client.get("/accounts/2fa/totp/activate/").url.startswith("/accounts/reauthenticate/")
    confirm_with_password(client)

    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Activate Authenticator App" in html and 'src="data:image/svg+xml;base64,' in html
    secret = page.context["form"].secret

    refused = client.post("/accounts/2fa/totp/activate/", {"code": "123456"})
    assert refused.status_code == 200 and "Incorrect code." in refused.content.decode()
    assert not Authenticator.objects.filter(user=person).exists()

    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    assert types == {"totp", "recovery_codes"}  # recovery codes come with the app
    assert "Turn off" in client.get("/account/").content.decode()


def test_signing_in_asks_for_the_apps_code(client, make_person, clock):
    person = make_person()
    TOTP.activate(person, SECRET)
    response = sign_in(client, person)
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    assert client.get("/today/").status_code == 302  # not signed in by the password alone

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "Incorrect code." in wrong.content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(SECRET)})
    assert response.status_code == 302 and response.url == "/today/"
    assert client.get("/today/").status_code == 200


def test_a_code_works_once(client, make_person, clock):
    person = make_person()
    TOTP.activate(person, SECRET)
    code = totp_code(SECRET)
    sign_in(client, person)
    client.post("/accounts/2fa/authenticate/", {"code": code})
    client.post("/accounts/logout/")
    sign_in(client, person)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200  # refused: used


def test_a_recovery_code_signs_in_once(client, make_person, clock):
    person = make_person()
    TOTP.activate(person, SECRET)
    codes = RecoveryCodes.activate(person).get_unused_codes()
    assert len(codes) == 10

    sign_in(client, person)
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response.status_code == 302 and response.url == "/today/"

    assert client.get("/accounts/2fa/recovery-codes/").url.startswith("/accounts/reauthenticate/")
    client.post("/accounts/2fa/reauthenticate/", {"code": codes[1]})  # a recovery code confirms too
    page = client.get("/accounts/2fa/recovery-codes/")
    assert page.status_code == 200 and "8 out of 10" in page.content.decode()

    client.post("/accounts/logout/")
    sign_in(client, person)
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200  # used up
    assert client.post("/accounts/2fa/authenticate/", {"code": codes[2]}).status_code == 302


@pytest.mark.parametrize("path", ["/accounts/2fa/", "/accounts/2fa/totp/activate/", "/accounts/2fa/webauthn/add/"])
def test_the_two_factor_pages_wear_the_apps_layout(client, make_person, path):
    sign_in(client, make_person())
    confirm_with_password(client)
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="auth-card">' in html and 'href="/account/"' in html
    assert "<script>" not in html and " style=" not in html and " on" + "click=" not in html


def test_too_many_wrong_codes_are_stopped(client, make_person, clock):
    person = make_person()
    TOTP.activate(person, SECRET)
    sign_in(client, person)
    statuses = [client.post("/accounts/2fa/authenticate/", {"code": "000000"}).status_code for _ in range(6)]
    assert statuses[:5] == [200] * 5
    assert "Too many failed" in client.post("/accounts/2fa/authenticate/", {"code": "000000"}).content.decode()
