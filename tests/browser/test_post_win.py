import re
from datetime import timedelta

from playwright.sync_api import expect

from goals.models import Intention
from teams.models import Membership
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
    expect(page.get_by_text("Posted ✓ +1", exact=True)).to_be_visible()
    expect(page.get_by_text("Nothing yet today")).to_be_hidden()
    expect(box.get_by_label("Goal it advances")).to_have_value("")  # the achieved goal left the choices

    yesterday = team.lead.local_today().toordinal() - 1
    from datetime import date

    box.get_by_label("Your win").fill("A call I forgot to post")
    box.get_by_label("When").fill(date.fromordinal(yesterday).isoformat())
    box.get_by_role("button", name="Post").click()
    expect(page.locator("#post-note")).to_contain_text("Posted ✓ +1 for")
    expect(box.get_by_label("When")).to_have_value(team.lead.local_today().isoformat())  # back to today

    box.get_by_role("button", name="Post").click()  # nothing typed: said at the field, the old note goes
    expect(box.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_text("Posted ✓")).to_have_count(0)
    assert len(page.locator("#stats").all()) == 1


def test_posting_twice_today_logs_no_console_error(page, make_team, sign_in):
    team = make_team(members=0)
    sign_in(page, team.lead)
    box = page.locator("#post-box")
    for text in ("First of the day", "Second of the day"):
        box.get_by_label("Your win").fill(text)
        box.get_by_role("button", name="Post").click()
        expect(page.locator("#todays-wins").get_by_text(text)).to_be_visible()
    assert page.problems == []


def test_a_post_is_confirmed_in_view_at_the_box_and_undone_there(page, make_team, make_win, sign_in):
    team = make_team(members=0, name="Brand Builders")
    make_win(team.lead, team, text="Earlier today")  # not the first of the day: no celebration to see it by
    sign_in(page, team.lead)
    box = page.locator("#post-box")
    box.get_by_label("Your win").fill("Booked on a podcast")
    box.get_by_text("Podcast guest +5").click()
    box.get_by_role("button", name="Post", exact=True).click()

    note = box.locator("#post-note")
    expect(note).to_contain_text("Posted ✓ +5 · Undo")
    expect(note.get_by_text("Booked on a podcast")).to_be_in_viewport()  # the win itself, where the eye is
    expect(note.get_by_role("button", name="Undo")).to_be_in_viewport()
    assert page.evaluate("window.scrollY") == 0
    expect(page.locator("#todays-wins").get_by_text("Booked on a podcast")).to_have_count(1)

    note.get_by_role("button", name="Undo").click()
    expect(note).to_contain_text("Undone")
    expect(page.locator("#todays-wins").get_by_text("Booked on a podcast")).to_have_count(0)
    expect(page.locator("#todays-wins").get_by_text("Earlier today")).to_be_visible()
    text = box.get_by_label("Your win")
    expect(text).to_have_value("Booked on a podcast")  # its words are back, to fix and post again
    expect(text).to_be_focused()
    assert not Win.objects.alive().filter(text="Booked on a podcast").exists()


def test_the_note_of_a_back_dated_post_goes_when_the_next_win_is_begun(page, make_team, sign_in):
    team = make_team(members=0)
    sign_in(page, team.lead)
    box = page.locator("#post-box")
    yesterday = team.lead.local_today() - timedelta(days=1)
    box.get_by_text("More: goal").click()
    box.get_by_label("When").fill(yesterday.isoformat())
    text = box.get_by_label("Your win")
    text.fill("A call I forgot to post")
    text.press("Enter")  # from the keyboard: the field keeps the focus for the next one
    note = box.locator("#post-note")
    expect(note).to_contain_text(f"Posted ✓ +1 for {yesterday:%A %-d %B} · Undo")
    expect(text).to_be_focused()
    expect(box.get_by_label("When")).to_have_value(team.lead.local_today().isoformat())
    page.keyboard.type("Next")
    expect(note).to_be_empty()  # the next win is today's: the note about Tuesday's is gone
    expect(note).to_be_hidden()


def test_the_box_names_its_team_and_changes_it_with_its_kinds(page, make_team, sign_in):
    brand = make_team(members=0, name="Brand Builders")
    sales = make_team(members=0, name="Sales Crew", score_sheet="sales-activity")
    person = brand.lead
    Membership.objects.create(team=sales, person=person)
    sales_kind = sales.score_kinds.order_by("position").last()
    sign_in(page, person)
    box = page.locator("#post-box")
    chosen = box.get_by_label("Posting to")
    expect(chosen).to_have_value(brand.slug)
    expect(chosen.locator("option:checked")).to_have_text("Brand Builders")
    expect(box.get_by_text("Podcast guest +5")).to_be_visible()

    box.get_by_label("Your win").fill("Closed the Henley deal")
    chosen.select_option(label="Sales Crew")
    expect(box.get_by_text(f"{sales_kind.name} +{sales_kind.points}")).to_be_attached()
    expect(box.get_by_text("Podcast guest +5")).to_have_count(0)
    expect(box.get_by_label("Your win")).to_have_value("Closed the Henley deal")  # what was typed stays
    box.get_by_text(f"{sales_kind.name} +{sales_kind.points}").click()
    box.get_by_role("button", name="Post", exact=True).click()
    expect(box.locator("#post-note")).to_contain_text("Closed the Henley deal")
    win = Win.objects.get(text="Closed the Henley deal")
    assert (win.team, win.kind) == (sales, sales_kind)

    page.reload()  # the team chosen in the box stays chosen
    expect(page.locator("#post-box").get_by_label("Posting to")).to_have_value(sales.slug)


def test_kinds_are_one_row_that_scrolls_sideways_on_a_phone(page, make_team, sign_in):
    team = make_team(members=0)
    sign_in(page, team.lead)
    chips = page.locator("#post-box .chips label")
    assert chips.count() == 8
    tops = {round(chips.nth(i).bounding_box()["y"]) for i in range(chips.count())}
    assert len(tops) == 1, tops
    assert page.locator("#post-box .chips").evaluate("row => row.scrollWidth > row.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself does not scroll sideways
    page.locator("#post-box .chips input").first.focus()
    for _ in range(7):  # a keyboard reaches the last kind, and it scrolls into view
        page.keyboard.press("ArrowRight")
    expect(chips.last.locator("input")).to_be_checked()
    expect(chips.last).to_be_in_viewport(ratio=0.9)


def test_kinds_wrap_on_a_wide_screen(desktop_page, make_team, sign_in):
    team = make_team(members=0)
    sign_in(desktop_page, team.lead)
    row = desktop_page.locator("#post-box .chips")
    assert row.evaluate("row => row.scrollWidth <= row.clientWidth")
    expect(desktop_page.locator("#post-box .chips label").last).to_be_in_viewport()


def test_post_as_a_win_from_todays_three_shows_in_todays_wins_and_stats(page, make_team, sign_in):
    team = make_team(members=0)
    lead = team.lead
    Intention.objects.create(person=lead, day=lead.local_today(), text="Ship the export button", position=0)
    sign_in(page, lead)
    expect(page.get_by_text("Nothing yet today")).to_be_visible()
    plan = page.locator("#plan-panel")
    plan.get_by_role("button", name="Check off “Ship the export button”").click()
    plan.get_by_role("button", name="Post as a win").click()
    expect(plan.get_by_text("Posted as a win")).to_be_visible()
    expect(page.locator("#todays-wins").get_by_text("Ship the export button")).to_be_visible()
    expect(page.locator("#stats .stat").first).to_have_text(re.compile(r"^\s*1\s*day streak\s*$"))
    expect(page.get_by_text("Nothing yet today")).to_have_count(0)
    expect(page.get_by_text("Your first win!")).to_be_visible()
    assert Win.objects.get(author=lead).text == "Ship the export button"


def test_a_post_that_fails_says_so_and_keeps_what_was_typed(page, make_team, sign_in):
    team = make_team(members=1)
    sign_in(page, team.lead)
    page.route("**/wins/", lambda route: route.fulfill(status=503, body="down"))  # the database, restarting
    page.get_by_label("Your win").fill("Sent the proposal")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was lost: try again shortly.")
    expect(page.get_by_label("Your win")).to_have_value("Sent the proposal")
    page.problems.clear()  # the browser and htmx log the 503 to the console, as they should
    page.unroute("**/wins/")
    page.get_by_role("button", name="Post").click()
    expect(page.locator("#todays-wins").get_by_text("Sent the proposal")).to_be_visible()
    expect(page.locator("#request-problem")).to_be_hidden()
    assert Win.objects.filter(text="Sent the proposal").count() == 1
