from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from goals.models import Intention, Review
from teams.models import Blocker
from wins.models import Win


def add(client, text, **extra):
    return client.post("/plan/", {"text": text, **extra}, headers={"HX-Request": "true"})


def texts(person):
    return list(Intention.objects.filter(person=person, day=person.local_today()).values_list("text", flat=True))


def test_plan_up_to_three_things(client, make_person):
    person = make_person()
    client.force_login(person)
    for text in ("Pitch a guest post", "Call Dana", "Write the newsletter"):
        assert text in add(client, text).content.decode()
    html = add(client, "A fourth").content.decode()
    assert "Three things planned" in html
    assert texts(person) == ["Pitch a guest post", "Call Dana", "Write the newsletter"]


def test_a_fourth_is_refused_with_a_message(client, make_person):
    person = make_person()
    for n in range(3):
        Intention.objects.create(person=person, day=person.local_today(), text=f"T{n}", position=n)
    client.force_login(person)
    response = client.post("/plan/", {"text": "Fourth"})
    assert "Three is the most" in response.content.decode()
    assert Intention.objects.count() == 3


def test_empty_intention_keeps_the_form(client, make_person):
    client.force_login(make_person())
    assert "This field is required." in add(client, "   ").content.decode()


def test_edit_reorder_remove(client, make_person):
    person = make_person()
    client.force_login(person)
    for text in ("A", "B", "C"):
        add(client, text)
    a, _, c = Intention.objects.order_by("position")
    client.post(f"/plan/{c.code}/up/", headers={"HX-Request": "true"})
    assert texts(person) == ["A", "C", "B"]
    client.post(f"/plan/{a.code}/edit/", {"text": "A, better"})
    client.post(f"/plan/{c.code}/remove/")
    assert texts(person) == ["A, better", "B"]
    assert list(Intention.objects.values_list("position", flat=True)) == [0, 1]


def test_check_off_then_post_as_a_win_in_one_tap(client, make_team):
    team = make_team()
    lead = team.lead
    kind = team.score_kinds.get(name="Guest blog")
    client.force_login(lead)
    add(client, "Pitch a guest post", kind=kind.pk)
    intention = Intention.objects.get()
    html = client.post(f"/plan/{intention.code}/toggle/", headers={"HX-Request": "true"}).content.decode()
    assert 'aria-pressed="true"' in html and "Post as a win +5" in html
    for _ in range(2):  # a double tap posts once
        client.post(f"/plan/{intention.code}/win/", headers={"HX-Request": "true"})
    win = Win.objects.get()
    assert (win.text, win.kind, win.points, win.team) == ("Pitch a guest post", kind, 5, team)
    intention.refresh_from_db()
    assert intention.win == win


def test_review_shows_what_got_done_and_plans_tomorrow(client, make_person, make_win):
    person = make_person()
    today = person.local_today()
    make_win(person, text="Shipped the export")
    Intention.objects.create(person=person, day=today, text="Call Dana", done_at=timezone.now())
    left = Intention.objects.create(person=person, day=today, text="Write the newsletter", position=1)
    client.force_login(person)
    page = client.get(f"/review/?day={today}").content.decode()  # after midnight it would offer yesterday's
    assert "Shipped the export" in page and "Call Dana" in page and "Write the newsletter" in page
    response = client.post(
        "/review/",
        {
            "day": today.isoformat(),
            "learnt": "Mornings work",
            "in_the_way": "",
            "carry": [left.code],
            "tomorrow_1": "Book the venue",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.day, review.learnt) == (today, "Mornings work")
    tomorrow = Intention.objects.filter(day=today + timedelta(days=1)).order_by("position")
    assert [i.text for i in tomorrow] == ["Write the newsletter", "Book the venue"]


def test_tomorrow_stays_at_three(client, make_person):
    person = make_person()
    client.force_login(person)
    today = person.local_today()
    Intention.objects.create(person=person, day=today + timedelta(days=1), text="Already", position=0)
    html = client.post(
        "/review/",
        {"day": today.isoformat(), "tomorrow_1": "a", "tomorrow_2": "b", "tomorrow_3": "c", "learnt": "Kept"},
    ).content.decode()
    assert "Three things a day at most: 1 already planned" in html and "Kept" in html
    assert not Review.objects.exists()


def test_past_reviews_are_kept_and_readable(client, make_person):
    person = make_person()
    day = person.local_today() - timedelta(days=3)
    Review.objects.create(person=person, day=day, learnt="Ask earlier in the week")
    client.force_login(person)
    assert f"/review/{day.isoformat()}/" in client.get("/review/").content.decode()
    assert "Ask earlier in the week" in client.get(f"/review/{day.isoformat()}/").content.decode()
    assert client.get("/review/2026-13-45/").status_code == 404


def test_after_midnight_the_review_is_yesterdays_if_the_person_says_so(client, make_person, clock):
    person = make_person(time_zone="Europe/London")
    clock.move_to(timezone.make_aware(datetime(2026, 11, 26, 1, 0), person.zone))
    client.force_login(person)
    page = client.get("/review/")
    assert page.context["form"].initial["day"] == "2026-11-25"
    client.post("/review/", {"day": "2026-11-25", "learnt": "Late one"})
    assert Review.objects.get().day.isoformat() == "2026-11-25"


def test_a_blocker_reaches_the_leads_and_only_the_blocker(client, make_team):
    team = make_team(members=1)
    member = team.members[0]
    client.force_login(member)
    client.post(
        "/review/",
        {
            "day": member.local_today().isoformat(),
            "learnt": "Private lesson",
            "in_the_way": "No staging access",
            "raise_blocker": "on",
            "blocker_team": team.slug,
        },
    )
    blocker = Blocker.objects.get()
    assert (blocker.team, blocker.raised_by, blocker.text, blocker.status) == (
        team,
        member,
        "No staging access",
        "open",
    )
    client.force_login(team.lead)
    feed = client.get(f"/t/{team.slug}/").content.decode()
    assert "No staging access" in feed and "Private lesson" not in feed
    client.post(f"/t/{team.slug}/blockers/{blocker.pk}/clear/", {"note": "Access granted"})
    blocker.refresh_from_db()
    assert (blocker.status, blocker.cleared_by, blocker.clear_note) == ("cleared", team.lead, "Access granted")
    assert not client.get(f"/t/{team.slug}/").context["blockers"]
    client.force_login(member)
    plan = client.get("/plan/").content.decode()
    assert "cleared your blocker" in plan and "Access granted" in plan
    assert "cleared your blocker" not in client.get("/plan/").content.decode()  # shown once


def test_a_blocker_needs_words(client, make_team):
    team = make_team(members=1)
    client.force_login(team.members[0])
    html = client.post(
        "/review/", {"day": team.members[0].local_today().isoformat(), "raise_blocker": "on", "blocker_team": team.slug}
    ).content.decode()
    assert "Say what got in the way" in html
    assert not Blocker.objects.exists()


def test_a_blocker_never_disappears_unless_cleared_or_withdrawn(client, make_team):
    team = make_team(members=1)
    member = team.members[0]
    blocker = Blocker.objects.create(team=team, raised_by=member, text="Waiting on legal", day=member.local_today())
    client.force_login(team.lead)
    client.post(f"/t/{team.slug}/blockers/{blocker.pk}/withdraw/")  # not the lead's to withdraw
    blocker.refresh_from_db()
    assert blocker.status == "open"
    client.force_login(member)
    assert client.post(f"/t/{team.slug}/blockers/{blocker.pk}/clear/").status_code == 403
    client.post(f"/t/{team.slug}/blockers/{blocker.pk}/withdraw/")
    blocker.refresh_from_db()
    assert blocker.status == "withdrawn"


@pytest.mark.parametrize("days", [2, 20])
def test_review_query_count_is_flat(client, make_team, days, django_assert_max_num_queries):
    team = make_team(members=1, days=days)
    client.force_login(team.lead)
    with django_assert_max_num_queries(14):
        assert client.get("/review/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/plan/", headers={"HX-Request": "true"}).status_code == 200
