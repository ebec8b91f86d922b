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


def test_posting_again_back_dated_and_onto_a_goal_keeps_the_page_whole(page, make_team, sign_in):
    from goals.models import Goal

    team = make_team(members=0, name="Brand Builders")
    Goal.objects.create(owner=team.lead, title="Two guest posts", kind="count", target=1)
    sign_in(page, team.lead)
    box = page.locator("#post-box")
    expect(page.get_by_text("Nothing yet today")).to_be_visible()

    box.get_by_label("Your win").fill("Pitched a guest post")
    box.get_by_text("More: goal").click()
    box.get_by_label("Goal it advances").select_option(label="Two guest posts")
    box.get_by_role("button", name="Post").click()  # the first win today, and it reaches the goal
    expect(page.get_by_text("Posted ✓ +1.")).to_be_visible()
    expect(page.get_by_text("Nothing yet today")).to_be_hidden()
    expect(box.get_by_label("Goal it advances")).to_have_value("")  # the achieved goal left the choices

    yesterday = team.lead.local_today().toordinal() - 1
    from datetime import date

    box.get_by_label("Your win").fill("A call I forgot to post")
    box.get_by_label("When").fill(date.fromordinal(yesterday).isoformat())
    box.get_by_role("button", name="Post").click()
    expect(page.get_by_text("Posted ✓ +1, for")).to_be_visible()
    expect(box.get_by_label("When")).to_have_value(team.lead.local_today().isoformat())  # back to today

    box.get_by_role("button", name="Post").click()  # nothing typed: said at the field, the old note goes
    expect(box.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_text("Posted ✓")).to_have_count(0)
    assert len(page.locator("#stats").all()) == 1
