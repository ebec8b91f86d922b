import re
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from goals.dashboard import WINS_PAGE
from teams.services import raise_blocker
from wins.services import record_win


def refresh_now(page):
    """Pretend 30 seconds have passed: refresh.js swaps in the live part at its next tick."""
    page.evaluate("document.getElementById('dashboard-live').dataset.refreshedAt = '0'")


def test_dashboard_on_a_phone_sorts_and_refreshes_itself(page, live_server, make_team, sign_in):
    team = make_team(members=3, days=10, name="Platform Team")
    member = team.members[0]
    sign_in(page, team.lead)
    page.goto(f"{live_server.url}/t/{team.slug}/dashboard/")
    expect(page.get_by_role("heading", name="Platform Team dashboard")).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390  # cards, not a wide table

    # The range drives the table: its wins column is the range's, and sorts highest first.
    page.locator(".range-tabs").get_by_role("link", name="Last 30 days").click()
    page.locator("#dashboard-live thead").get_by_role("link", name="Last 30 days").click()
    page.wait_for_url(re.compile(r"range=30d&sort=wins$"))
    expect(page.locator("th[aria-sort=descending]")).to_have_text(re.compile("Last 30 days"))

    row = page.locator("tbody tr", has_text=member.display_name)
    expect(row.locator("td[data-label=Today]")).to_have_text("2")
    expect(row.locator("td[data-label='Last 30 days']")).to_have_text("20")
    record_win(author=member, team=team, text="Shipped it", day=member.local_today(), client_key=uuid.uuid4())
    refresh_now(page)
    expect(row.locator("td[data-label=Today]")).to_have_text("3")
    expect(row.locator("td[data-label='Last 30 days']")).to_have_text("21")
    assert "range=30d" in page.locator("#dashboard-live").get_attribute("hx-get")


def test_last_weeks_range_shows_last_weeks_wins_and_points(page, live_server, make_team, make_win, sign_in):
    team = make_team(members=2, name="Platform Team")
    steady, busy = team.members
    today = team.local_today()
    last_monday = today - timedelta(days=today.weekday() + 7)
    kind = team.score_kinds.get(name="Speaking invite")
    make_win(steady, team, kind=kind)
    for _ in range(3):
        make_win(busy, team, kind=kind, day=last_monday)
    sign_in(page, team.lead)
    page.goto(f"{live_server.url}/t/{team.slug}/dashboard/")
    page.locator(".range-tabs").get_by_role("link", name="Last week").click()
    page.locator("#dashboard-live thead").get_by_role("link", name="Points").click()
    page.wait_for_url(re.compile(r"range=last-week&sort=points$"))
    first = page.locator("#dashboard-live tbody tr").first
    expect(first).to_contain_text(busy.display_name)  # highest first
    expect(first.locator("td[data-label='Last week']")).to_have_text("3")
    expect(first.locator("td[data-label=Points]")).to_have_text(str(3 * kind.points))
    expect(page.locator("#dashboard-live td[data-label=Today]")).to_have_count(0)
    expect(page.locator("#range-wins")).to_contain_text("Wins last week")
    page.locator("#range-wins").scroll_into_view_if_needed()  # the wins load when their card is seen
    expect(page.locator("#range-wins .win")).to_have_count(3)


def test_the_lead_sees_and_applauds_the_wins_and_loads_more(page, live_server, make_team, make_win, sign_in):
    team = make_team(members=2, name="Platform Team")
    ada, bo = team.members
    for n in range(WINS_PAGE + 2):
        make_win(ada, team, text=f"Call {n} made")
    make_win(bo, team, text="Podcast booked")
    make_win(bo, team, text="Kept to myself", visibility="private")
    sign_in(page, team.lead)
    page.goto(f"{live_server.url}/t/{team.slug}/dashboard/")
    wins = page.locator("#range-wins")
    wins.scroll_into_view_if_needed()  # the wins load when their card is seen
    expect(wins.get_by_role("heading", name="Wins this week")).to_be_visible()
    newest = wins.locator(".win").first
    expect(newest).to_contain_text("Podcast booked")
    expect(newest).to_contain_text(bo.display_name)
    expect(wins).not_to_contain_text("Kept to myself")
    applause = newest.get_by_role("button", name=re.compile("applause"))
    applause.focus()
    page.keyboard.press("Enter")  # by keyboard, in place
    expect(newest.get_by_role("button", name=re.compile("applause"))).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    more = wins.get_by_role("link", name="More wins")
    more.focus()
    page.keyboard.press("Enter")
    expect(wins.locator(".win")).to_have_count(WINS_PAGE + 3)
    expect(wins.get_by_role("link", name="More wins")).to_have_count(0)
    expect(wins.locator(".win").nth(WINS_PAGE)).to_be_focused()  # the keyboard goes on from the first new one
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390


def test_the_refresh_keeps_a_half_typed_blocker_note(page, live_server, make_team, sign_in):
    team = make_team(members=2, days=3, name="Platform Team")
    member = team.members[0]
    raise_blocker(team=team, person=member, text="Waiting on the VPN", day=member.local_today())
    sign_in(page, team.lead)
    page.goto(f"{live_server.url}/t/{team.slug}/dashboard/")
    note = page.get_by_placeholder("What you did about it")
    note.click()
    page.keyboard.type("Called IT, they")
    record_win(author=member, team=team, text="Shipped it", day=member.local_today(), client_key=uuid.uuid4())
    refresh_now(page)
    row = page.locator("tbody tr", has_text=member.display_name)
    expect(row.locator("td[data-label=Today]")).to_have_text("3")
    expect(note).to_have_value("Called IT, they")
    expect(note).to_be_focused()


def test_the_refresh_waits_while_focus_is_in_the_figures(page, live_server, make_team, sign_in):
    team = make_team(members=2, days=3, name="Platform Team")
    member = team.members[0]
    sign_in(page, team.lead)
    page.goto(f"{live_server.url}/t/{team.slug}/dashboard/")
    row = page.locator("tbody tr", has_text=member.display_name)
    link = row.get_by_role("link", name=member.display_name)
    link.focus()  # a keyboard user going down the table
    record_win(author=member, team=team, text="Shipped it", day=member.local_today(), client_key=uuid.uuid4())
    refresh_now(page)
    expect(page.locator("#dashboard-live[data-refresh-paused]")).to_have_count(1)  # due, and waiting
    expect(link).to_be_focused()
    expect(row.locator("td[data-label=Today]")).to_have_text("2")
    page.get_by_role("heading", name="Platform Team dashboard").click()  # focus leaves the figures
    expect(row.locator("td[data-label=Today]")).to_have_text("3")  # and the refresh comes


def test_clearing_a_blocker_moves_every_counter_and_keeps_the_other_note(page, live_server, make_team, sign_in):
    team = make_team(members=2, days=3, name="Platform Team")
    ada, bo = team.members
    raise_blocker(team=team, person=ada, text="No VPN access", day=ada.local_today())
    raise_blocker(team=team, person=bo, text="Waiting on legal", day=bo.local_today())
    sign_in(page, team.lead)
    page.goto(f"{live_server.url}/t/{team.slug}/dashboard/")
    stat = page.locator(".stat", has_text="open blocker").locator(".stat-value")
    ada_badge = page.locator("tbody tr", has_text=ada.display_name).locator("td[data-label=Blockers]")
    expect(stat).to_have_text("2")
    expect(ada_badge).to_have_text("1 open")

    panel = page.locator("#blockers")
    bo_note = panel.get_by_label(f"Note for {bo.display_name}")
    bo_note.fill("Asked legal, answer by Friday")  # half done: not cleared yet
    panel.get_by_label(f"Note for {ada.display_name}").fill("IT sorted it")
    panel.locator("li", has_text="No VPN access").get_by_role("button", name="Clear").click()

    expect(panel.get_by_label(f"Note for {ada.display_name}")).to_have_count(0)  # cleared
    expect(stat).to_have_text("1")  # the card follows
    expect(ada_badge).to_have_text("—")  # and the member's badge
    expect(bo_note).to_have_value("Asked legal, answer by Friday")  # the other note stays
    expect(panel.get_by_role("heading", name="Open blockers")).to_have_text("Open blockers 1")
    expect(panel.get_by_role("status")).to_contain_text(f"Cleared: {ada.display_name}")
    expect(panel.get_by_role("status")).to_be_focused()  # a keyboard user's place


def test_the_dashboard_on_a_desktop(desktop_page, live_server, make_team, sign_in):
    team = make_team(members=3, days=5, name="Platform Team")
    sign_in(desktop_page, team.lead)
    desktop_page.goto(f"{live_server.url}/t/{team.slug}/dashboard/?range=30d")
    expect(desktop_page.locator("#dashboard-live thead th").first).to_have_text(re.compile("Name"))
    desktop_page.locator("#range-wins").scroll_into_view_if_needed()
    expect(desktop_page.locator("#range-wins .win")).to_have_count(WINS_PAGE)
    assert desktop_page.evaluate("document.scrollingElement.scrollWidth") <= 1280
