import re

from django.core import mail
from playwright.sync_api import expect


def test_sign_up_verify_and_land_on_today(page, live_server):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Sign up").first.click()
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Your name").fill("Ana")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    (message,) = mail.outbox
    assert message.to == ["ana@example.com"]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page.goto(link)  # opening the link confirms nothing by itself: a mail scanner opens links too
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(re.compile(r"/today/$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("Today"))).to_be_visible()

    # Sign out, then in again with the password.
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ana@example.com")
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(re.compile(r"/today/$"))
    expect(page.get_by_role("heading", level=1, name=re.compile("Today"))).to_be_visible()
