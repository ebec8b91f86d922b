import re

from django.core import mail
from playwright.sync_api import expect

from teams.models import Membership


def test_lead_creates_team_and_a_visitor_joins_through_the_link(page, browser, live_server, make_person, sign_in):
    lead = make_person(display_name="Maya")
    sign_in(page, lead)
    page.goto(f"{live_server.url}/teams/new/")
    page.get_by_label("Name").fill("Run Club")
    page.get_by_label("Why this work matters").fill("A sub-8:00 10k by April")
    page.get_by_label("Start the score sheet from").select_option(label="Fitness")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", name="Run Club settings")).to_be_visible()

    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.get_by_role("button", name="Create invitation link").click()
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert re.search(r"/join/[\w-]{32,}/$", link)

    visitor = browser.new_context(viewport={"width": 390, "height": 844})
    other = visitor.new_page()
    other.goto(link)
    expect(other.get_by_role("heading", name="Join Run Club")).to_be_visible()
    expect(other.get_by_text("A sub-8:00 10k by April")).to_be_visible()
    other.get_by_role("link", name="Sign up and join").click()
    other.get_by_label("Email").fill("theo@example.com")
    other.get_by_label("Your name").fill("Theo")
    other.get_by_label("Password").fill("a long and unusual passphrase")
    other.get_by_role("button", name="Sign Up").click()
    expect(other.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    confirm = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    other.goto(confirm)
    other.get_by_role("button", name="Confirm").click()
    other.get_by_role("button", name="Join Run Club").click()  # back on the link: joining is their own press
    other.wait_for_url(re.compile(r"/t/run-club-[0-9a-f]{4}/$"))
    expect(other.get_by_role("heading", name="Run Club")).to_be_visible()
    assert Membership.objects.get(team__name="Run Club", person__email="theo@example.com").role == "member"
    visitor.close()
