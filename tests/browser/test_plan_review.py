import re

from playwright.sync_api import expect

from teams.models import Blocker
from wins.models import Win


def test_plan_check_off_review_with_a_blocker_and_a_lead_clears_it(page, browser, live_server, make_team, sign_in):
    team = make_team(members=1, name="Platform Team", score_sheet="delivery-team")
    member = team.members[0]
    sign_in(page, member)

    plan = page.locator("#plan-panel")
    for text in ("Ship the export button", "Review Omar's PR", "Fix the flaky test"):
        plan.get_by_label("One thing to do today").fill(text)
        plan.get_by_role("button", name="Add").click()
        expect(plan.get_by_text(text)).to_be_visible()
    expect(plan.get_by_text("Three things planned")).to_be_visible()

    plan.get_by_role("button", name="Check off “Ship the export button”").click()
    plan.get_by_role("button", name="Post as a win").click()
    expect(plan.get_by_text("Posted as a win")).to_be_visible()
    assert Win.objects.get(author=member).text == "Ship the export button"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Review").click()
    # Past midnight (as the tests' clock is, in London) the review offers yesterday's: review today's instead.
    page.goto(f"{live_server.url}/review/?day={member.local_today().isoformat()}")
    expect(page.get_by_text("Ship the export button")).to_be_visible()
    page.get_by_label("What I learnt").fill("Small PRs get reviewed faster")
    page.get_by_label("What got in the way").fill("No access to the staging database")
    page.get_by_label("Raise this as a blocker for my team's leads").check()
    page.get_by_label("Review Omar's PR").check()
    page.get_by_label("Tomorrow, 1").fill("Write the release note")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Your blocker went to Platform Team's leads")).to_be_visible()
    blocker = Blocker.objects.get()

    lead_context = browser.new_context(viewport={"width": 390, "height": 844})
    lead_page = lead_context.new_page()
    sign_in(lead_page, team.lead)
    lead_page.goto(f"{live_server.url}/t/{team.slug}/")
    panel = lead_page.locator("#blockers")
    expect(panel.get_by_text("No access to the staging database")).to_be_visible()
    expect(lead_page.get_by_text("Small PRs get reviewed faster")).to_have_count(0)
    panel.get_by_label(re.compile("Note for")).fill("Access granted, check your email")
    panel.get_by_role("button", name="Clear").click()
    expect(panel.get_by_text("Nothing in the way")).to_be_visible()
    lead_context.close()
    blocker.refresh_from_db()
    assert blocker.status == "cleared"

    page.goto(f"{live_server.url}/today/")
    expect(page.get_by_text("Access granted, check your email")).to_be_visible()
