import re
import uuid

from playwright.sync_api import expect

from wins.services import record_win


def test_dashboard_on_a_phone_sorts_and_refreshes_itself(page, live_server, make_team, sign_in):
    team = make_team(members=3, days=10, name="Platform Team")
    member = team.members[0]
    sign_in(page, team.lead)
    page.goto(f"{live_server.url}/t/{team.slug}/dashboard/")
    expect(page.get_by_role("heading", name="Platform Team dashboard")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # cards, not a wide table

    page.get_by_role("link", name="Last 30 days").click()
    page.locator("#dashboard-live thead").get_by_role("link", name="This week").click()
    page.wait_for_url(re.compile(r"range=30d&sort=week"))
    expect(page.locator("th[aria-sort]")).to_have_text(re.compile("This week"))

    row = page.locator("tbody tr", has_text=member.display_name)
    expect(row.locator("td[data-label=Today]")).to_have_text("2")
    record_win(author=member, team=team, text="Shipped it", day=member.local_today(), client_key=uuid.uuid4())
    # Pretend 30 seconds have passed: refresh.js swaps in the live part, keeping the range and sort.
    page.evaluate("document.getElementById('dashboard-live').dataset.refreshedAt = '0'")
    expect(row.locator("td[data-label=Today]")).to_have_text("3")
    assert "range=30d" in page.locator("#dashboard-live").get_attribute("hx-get")
