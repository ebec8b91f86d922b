import re

from playwright.sync_api import expect

from wins.models import Applause, Win


def test_post_a_win_with_a_chip_and_applaud_a_teammate(page, live_server, make_team, make_win, sign_in):
    team = make_team(members=1, name="Brand Builders")
    teammate = team.members[0]
    make_win(teammate, team, text="Booked on the Freelance Friday podcast")
    sign_in(page, team.lead)

    page.get_by_label("Your win").fill("A reader wrote to say thanks")
    page.get_by_text("Reader email +2").click()
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.get_by_role("button", name="Post").click()  # one tap after typing

    todays = page.locator("#todays-wins")
    expect(todays.get_by_text("A reader wrote to say thanks")).to_be_visible()
    expect(page.get_by_label("Your win")).to_have_value("")
    expect(page.get_by_text("Your first win!")).to_be_visible()
    assert navigations == []  # no reload: htmx swapped the win in
    win = Win.objects.get(author=team.lead)
    assert (win.kind.name, win.points) == ("Reader email", 2)

    page.get_by_role("link", name="Team").click()
    page.wait_for_url(re.compile(rf"/t/{team.slug}/$"))
    item = page.locator("li.win", has_text="Booked on the Freelance Friday podcast")
    applause = item.get_by_role("button", name=re.compile("applause"))
    expect(applause).to_have_attribute("aria-pressed", "false")
    applause.click()
    expect(item.get_by_role("button", name=re.compile("applause"))).to_have_attribute("aria-pressed", "true")
    assert Applause.objects.filter(person=team.lead, win__author=teammate).exists()
