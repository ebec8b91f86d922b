"""The installed app in Chromium on a phone: installable, posting without a connection, a new version."""

import re

from playwright.sync_api import expect

from config import views
from teams.models import Membership, Person
from wins.models import Win

WORKER_READY = "navigator.serviceWorker.ready.then((registration) => registration.active.state)"


def wait_for_the_worker(page):
    """Until the service worker is active and in charge of the page. It claims the pages open when it starts; one
    still loading then (the page after signing in) comes under it when loaded again, as on a phone's next visit."""
    assert page.evaluate(WORKER_READY) in ("activating", "activated")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")  # a function: CSP forbids eval


def save_one_offline(page, text):
    """Offline, post a win from Today's box: it is saved on the phone, the only one waiting."""
    page.context.set_offline(True)
    box = page.locator("#post-box")
    box.get_by_label("Your win").fill(text)
    box.get_by_role("button", name="Post").click()
    expect(page.locator("#outbox li")).to_have_count(1)


def test_chromium_finds_the_app_installable(page, live_server, make_person, sign_in):
    sign_in(page, make_person())
    wait_for_the_worker(page)
    scope = page.evaluate("navigator.serviceWorker.ready.then((registration) => registration.scope)")
    assert scope == f"{live_server.url}/"
    cdp = page.context.new_cdp_session(page)
    errors = [error["errorId"] for error in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    assert errors == ["in-incognito"]  # Playwright's contexts are incognito: that alone stands in the way
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [] and manifest["url"].endswith("/manifest.webmanifest")


def test_wins_posted_offline_are_sent_once_each_when_back_online(page, make_team, sign_in):
    team = make_team(members=0, name="Brand Builders")
    sign_in(page, team.lead)
    wait_for_the_worker(page)
    box = page.locator("#post-box")
    outbox = page.locator("#outbox")
    expect(outbox).to_be_hidden()

    page.context.set_offline(True)
    box.get_by_label("Your win").fill("Wrote the intro offline")
    box.get_by_text("Reader email +2").click()
    box.get_by_role("button", name="Post").click()
    expect(box.locator("#post-note")).to_contain_text("Saved, will send")
    expect(box.get_by_label("Your win")).to_have_value("")  # ready for the next one
    box.get_by_label("Your win").fill("Sent the pitch from the train")
    box.get_by_role("button", name="Post").dblclick()  # a double tap keeps one
    expect(outbox.locator("li")).to_have_count(2)
    expect(outbox).to_contain_text("Wrote the intro offline")
    expect(outbox).to_contain_text("Sent the pitch from the train")
    assert not Win.objects.exists()  # nothing reached the server

    page.context.set_offline(False)
    todays = page.locator("#todays-wins")
    expect(todays.get_by_text("Wrote the intro offline")).to_be_visible()
    expect(todays.get_by_text("Sent the pitch from the train")).to_be_visible()
    expect(outbox).to_be_hidden()
    expect(box.locator("#post-note")).to_contain_text("Sent ✓")
    wins = Win.objects.filter(author=team.lead).order_by("created_at")
    assert [(w.text, w.team, w.day) for w in wins] == [
        ("Wrote the intro offline", team, team.lead.local_today()),
        ("Sent the pitch from the train", team, team.lead.local_today()),
    ]
    assert (wins[0].kind.name, wins[0].points) == ("Reader email", 2)  # posted as it was written
    assert len({w.client_key for w in wins}) == 2

    page.reload()  # nothing waits any more: nothing is sent again
    expect(page.locator("#todays-wins li.win")).to_have_count(2)
    expect(outbox).to_be_hidden()
    assert Win.objects.count() == 2


def test_a_page_opened_offline_is_the_offline_page_which_keeps_a_win_too(page, live_server, make_team, sign_in):
    team, other = make_team(members=0, name="Alpha"), make_team(members=0, name="Beta")
    Membership.objects.create(team=other, person=team.lead)
    Person.objects.filter(pk=team.lead.pk).update(current_team=team)
    sign_in(page, team.lead)
    wait_for_the_worker(page)

    page.context.set_offline(True)
    page.goto(f"{live_server.url}/goals/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    page.get_by_label("Post a win anyway").fill("Called the printer back")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#outbox li")).to_have_count(1)
    expect(page.get_by_text("Saved, will send")).to_be_visible()

    Person.objects.filter(pk=team.lead.pk).update(current_team=other)  # meanwhile, on another device
    page.context.set_offline(False)  # the page comes back by itself, and sends what waits
    expect(page.get_by_role("heading", name=re.compile("goals", re.I)).first).to_be_visible()
    page.wait_for_function("() => !document.getElementById('offline-page')")
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#todays-wins").get_by_text("Called the printer back")).to_be_visible()
    win = Win.objects.get()
    assert (win.text, win.team) == ("Called the printer back", team)  # the team it was written in


def test_a_win_saved_offline_waits_for_a_new_sign_in_when_the_session_ended(page, live_server, make_team, sign_in):
    team = make_team(members=0)
    sign_in(page, team.lead)
    wait_for_the_worker(page)
    save_one_offline(page, "Finished the draft")

    page.context.clear_cookies(name="sessionid")  # the session ended while offline
    page.context.set_offline(False)
    expect(page.locator("#outbox-status")).to_contain_text("Your session has ended")
    expect(page.locator("#outbox li")).to_have_count(1)  # kept
    assert not Win.objects.exists()

    page.locator("#outbox-status").get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email").fill(team.lead.email)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Sign In", exact=True).click()
    page.wait_for_url(re.compile(r"/today/$"))
    expect(page.locator("#todays-wins").get_by_text("Finished the draft")).to_be_visible()
    assert Win.objects.get().text == "Finished the draft"


def test_a_new_version_waits_until_the_person_reloads(page, make_person, sign_in, monkeypatch):
    sign_in(page, make_person())
    wait_for_the_worker(page)
    caches = "caches.keys().then((names) => names.filter((n) => n.startsWith('microwins-')))"
    old = page.evaluate(caches)
    assert len(old) == 1

    next_deploy = views.release() | {"version": "next-deploy"}
    monkeypatch.setattr(views, "release", lambda: next_deploy)
    monkeypatch.setattr(views, "deployed_release", lambda: next_deploy)  # tests run with DEBUG off
    page.evaluate("navigator.serviceWorker.getRegistration().then((registration) => registration.update())")
    prompt = page.locator("#new-version")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("A new version of Microwins is ready")
    assert sorted(page.evaluate(caches)) == sorted([*old, "microwins-next-deploy"])  # the old one still serves

    with page.expect_navigation():
        prompt.get_by_role("button", name="Reload").click()
    wait_for_the_worker(page)
    page.wait_for_function(f"() => {caches}.then((names) => names.join() === 'microwins-next-deploy')")
    expect(page.locator("#new-version")).to_be_hidden()


def test_a_win_saved_by_one_person_is_never_posted_as_another(page, live_server, make_team, sign_in):
    team = make_team(members=1, name="Alpha")
    ana, ben = team.lead, team.members[0]
    sign_in(page, ana)
    wait_for_the_worker(page)
    save_one_offline(page, "A private thing of Ana")
    page.context.clear_cookies(name="sessionid")  # Ana's session ends; Ben signs in on the same phone
    page.context.set_offline(False)
    other = page.context.new_page()
    sign_in(other, ben)
    with page.expect_response(lambda response: response.url.endswith("/wins/")) as answer:
        page.evaluate("window.dispatchEvent(new Event('online'))")  # Ana's old tab tries again
    assert answer.value.status == 409
    expect(page.locator("#outbox li")).to_have_count(1)  # it waits for Ana
    page.problems.remove("console: Failed to load resource: the server responded with a status of 409 (Conflict)")
    assert not Win.objects.exists()
    other.close()


def test_signing_out_hides_the_wins_waiting_on_the_phone(page, live_server, make_team, sign_in):
    team = make_team(members=0)
    sign_in(page, team.lead)
    wait_for_the_worker(page)
    save_one_offline(page, "Only mine to see")
    page.context.set_offline(False)
    page.context.clear_cookies(name="sessionid")
    page.goto(f"{live_server.url}/")  # a signed-out page, as after signing out
    page.goto(f"{live_server.url}/offline/")
    expect(page.locator("#offline-page")).to_be_visible()
    page.get_by_label("Post a win anyway").fill("Someone else's try")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#post-note")).to_contain_text("Nobody is signed in on this phone")
    expect(page.locator("#outbox li")).to_have_count(0)
