"""Passkeys in Chromium, through a virtual authenticator (the DevTools Protocol's WebAuthn domain): added from
/account/, then signing in without a password, all under the app's CSP."""

import re

from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


def add_virtual_authenticator(page):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})
    return cdp


def test_add_a_passkey_then_sign_in_with_it_alone_or_as_a_second_factor(page, live_server, make_person, sign_in):
    person = make_person(display_name="Ana")
    add_virtual_authenticator(page)
    sign_in(page, person)

    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Add a passkey").click()
    page.get_by_label("Password").fill("pw-for-tests")  # adding a factor asks who you are first
    page.get_by_role("button", name="Confirm").click()
    page.get_by_label("Name").fill("My phone")
    expect(page.get_by_label("Sign in with it alone, without a password")).to_be_checked()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    assert Authenticator.objects.filter(user=person, type="webauthn").count() == 1

    page.goto(f"{live_server.url}/account/")
    expect(page.get_by_text("1 added")).to_be_visible()
    page.get_by_role("button", name="Sign out of this device").click()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(re.compile(r"/today/$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("Today"))).to_be_visible()

    # With a passkey, the password alone no longer signs in: the passkey is the second factor.
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("button", name="Sign out of this device").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.get_by_role("button", name="Use a security key").click()
    page.wait_for_url(re.compile(r"/today/$"))
