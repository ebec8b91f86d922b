"""Elsewhere (issue 15): the header at 360 px, leaving a team only after a confirmation."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _open_page


@pytest.fixture
def narrow_page(browser, live_server, request):
    yield from _open_page(browser, request, {"width": 360, "height": 740})


def box(page, selector):
    return page.locator(selector).bounding_box()


def test_header_at_360_px_overlaps_nothing_and_the_avatar_stays_round(narrow_page, make_team, sign_in, live_server):
    team = make_team(name="Brand Builders of the North", members=0)
    sign_in(narrow_page, team.lead)
    narrow_page.goto(f"{live_server.url}/t/{team.slug}/")
    brand, switcher, avatar = (
        box(narrow_page, ".brand"),
        box(narrow_page, ".switcher"),
        box(narrow_page, ".account-link"),
    )
    name_right = narrow_page.evaluate(
        "(() => { const r = document.createRange(); r.selectNodeContents(document.querySelector('.brand'));"
        " return r.getBoundingClientRect().right; })()"
    )
    assert name_right <= switcher["x"], "the product name runs under the team switcher"
    assert brand["x"] + brand["width"] <= switcher["x"]
    assert switcher["x"] + switcher["width"] <= avatar["x"]
    assert avatar["width"] == avatar["height"] == 40
    assert avatar["x"] + avatar["width"] <= 360
    assert narrow_page.evaluate("document.documentElement.scrollWidth") <= 360


def test_leaving_asks_first_and_lives_in_the_account(page, make_team, sign_in, live_server):
    team = make_team(name="Run Club", members=1)
    member = team.members[0]
    sign_in(page, member)
    page.goto(f"{live_server.url}/t/{team.slug}/")
    expect(page.get_by_role("button", name="Leave Run Club")).to_have_count(0)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("link", name="Leave…").click()
    expect(page.get_by_role("heading", name="Leave Run Club?")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
    assert team.memberships.filter(person=member).exists()
    page.get_by_role("link", name="Leave…").click()
    page.get_by_role("button", name="Leave Run Club").click()
    expect(page.get_by_text("You left Run Club.")).to_be_visible()
    assert not team.memberships.filter(person=member).exists()
