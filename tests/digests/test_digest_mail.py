"""What the mails say, and to whom: a lead's digest shows only what the lead may see; a person's own mail counts
all their own wins. Every mail is text and HTML, with the site's address and a signed one-click unsubscribe."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from digests.content import compose
from digests.models import Delivery
from goals.models import Goal, Intention, Review
from teams.models import Blocker, MailKind, Membership
from tests.conftest import share_goal
from wins.models import Applause, Comment, Win

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_team):
    team = make_team(members=2, name="Run Club", time_zone="Europe/Paris")
    team.ana, team.ben = team.members
    return team


def digest_of(team, lead=None):
    lead = lead or team.lead
    return compose(lead, MailKind.DIGEST, team.local_today(), timezone.now(), team=team)


def test_the_digest_groups_the_days_wins_by_person_with_goals_blockers_and_a_link(team, make_win, settings):
    settings.SITE_URL = "https://wins.example.org"
    day = team.local_today()
    make_win(team.ana, team=team, text="Ran 5k before work", day=day)
    make_win(team.ana, team=team, text="Stretched for ten minutes", day=day)
    make_win(team.ben, team=team, text="Booked the track for Saturday", day=day)
    make_win(team.ben, team=team, text="Yesterday's long run", day=day - timedelta(days=1))
    goal = Goal.objects.create(team=team, title="A club 10k under 50:00", status="achieved", achieved_at=timezone.now())
    Blocker.objects.create(team=team, raised_by=team.ben, text="The track is closed on Tuesdays", day=day)
    message = digest_of(team)
    text = message.body
    assert message.subject == f"Run Club, {day:%A %-d %B}: 3 wins"
    assert text.index(team.ana.display_name) < text.index("Ran 5k before work") < text.index(team.ben.display_name)
    assert "Yesterday's long run" not in text
    assert goal.title in text and "The track is closed on Tuesdays" in text
    assert f"https://wins.example.org/t/{team.slug}/dashboard/" in text
    html = message.alternatives[0].content
    assert "Booked the track for Saturday" in html and 'href="https://wins.example.org/t/' in html


def test_the_digest_flags_members_quiet_for_three_active_days(team, make_win, clock):
    for person in (team.lead, team.ana, team.ben):
        Membership.objects.filter(person=person).update(joined_at=timezone.now() - timedelta(days=30))
    make_win(team.ana, team=team, day=team.ana.local_today())
    make_win(team.ben, team=team, day=team.ben.local_today() - timedelta(days=8))
    text = digest_of(team).body
    quiet = text[text.index("QUIET FOR 3 ACTIVE DAYS") :]
    assert team.ben.display_name in quiet and team.ana.display_name not in quiet


def test_a_private_win_and_a_private_goal_are_absent_from_the_digest(team, make_win):
    day = team.local_today()
    make_win(team.ana, team=team, text="A shared win", day=day)
    make_win(team.ana, team=team, text="Secret interview went well", day=day, visibility=Win.Visibility.PRIVATE)
    make_win(team.ana, text="A personal win outside the team", day=day)
    private = Goal.objects.create(owner=team.ana, title="Leave this job", status="achieved", achieved_at=timezone.now())
    shared = Goal.objects.create(owner=team.ben, title="Run a sub-25 5k", status="achieved", achieved_at=timezone.now())
    share_goal(shared, team)
    message = digest_of(team)
    for part in (message.body, message.alternatives[0].content):
        assert "A shared win" in part and shared.title in part
        assert "Secret interview" not in part and "outside the team" not in part and private.title not in part
    assert ": 1 win" in message.subject  # the count too


def test_only_leads_get_a_digest_and_only_of_their_teams(team, make_team, make_win):
    make_win(team.ana, team=team, day=team.local_today())
    assert digest_of(team) is not None
    assert digest_of(team, lead=team.ana) is None
    other = make_team(members=0)
    assert compose(team.lead, MailKind.DIGEST, other.local_today(), timezone.now(), team=other) is None


def test_the_week_counts_my_wins_streak_momentum_goals_and_what_teammates_gave(team, make_win, clock):
    ana = team.ana
    today = ana.local_today()  # Thursday 18 June in London, at the pinned clock
    first = today - timedelta(days=today.weekday())
    mine = [make_win(ana, team=team, day=first + timedelta(days=n), text=f"Win {n}") for n in range(3)]
    make_win(ana, day=first, text="A private one, mine all the same", visibility=Win.Visibility.PRIVATE)
    make_win(ana, team=team, day=first - timedelta(days=3), text="Last week")
    Applause.objects.create(win=mine[0], person=team.ben)
    Applause.objects.create(win=mine[1], person=ana)  # my own applause is not "from teammates"
    Comment.objects.create(win=mine[2], author=team.lead, text="Brilliant, keep going")
    Comment.objects.create(win=mine[2], author=ana, text="Thanks!")
    Goal.objects.create(owner=ana, title="Run a half marathon", kind="count", target=10)
    message = compose(ana, MailKind.WEEK, first, timezone.now())
    text = message.body
    assert message.subject.startswith("Your week: 4 wins")
    assert "4 wins, " in text and "Up from 1 the week before." in text
    assert "more day" in text and "momentum" in text  # the sentence that explains it
    assert "1 applause on your wins" in text
    assert "Brilliant, keep going" in text and "Thanks!" not in text
    assert "Run a half marathon" in text


def test_the_nudge_comes_only_without_a_win_today_and_lists_todays_three(team, make_win):
    ana, today = team.ana, team.ana.local_today()
    Intention.objects.create(person=ana, day=today, text="Call the venue", position=0)
    message = compose(ana, MailKind.NUDGE, today, timezone.now())
    assert "Call the venue" in message.body
    make_win(ana, day=today)
    assert compose(ana, MailKind.NUDGE, today, timezone.now()) is None


def test_the_morning_prompt_recalls_yesterdays_lesson_unless_today_is_planned(team):
    ana, today = team.ana, team.ana.local_today()
    Review.objects.create(person=ana, day=today - timedelta(days=1), learnt="Short runs beat no runs")
    assert "Short runs beat no runs" in compose(ana, MailKind.MORNING, today, timezone.now()).body
    Intention.objects.create(person=ana, day=today, text="Plan the route", position=0)
    assert compose(ana, MailKind.MORNING, today, timezone.now()) is None


def test_a_day_without_news_has_no_digest(team, make_win):
    Membership.objects.update(joined_at=timezone.now() - timedelta(days=30))  # all of them quiet: not news
    assert digest_of(team) is None
    make_win(team.ana, team=team, day=team.local_today())
    assert digest_of(team) is not None


def test_every_mail_has_list_unsubscribe_headers_and_a_signed_link_that_stops_its_kind(team, make_win):
    make_win(team.ana, team=team, day=team.local_today())
    message = digest_of(team)
    url = re.search(r"<(http://\S+)>", message.extra_headers["List-Unsubscribe"]).group(1)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in message.body and url in message.alternatives[0].content
    path = url.removeprefix("http://127.0.0.1:8000")
    browser = Client()
    page = browser.get(path)  # a mail scanner opening it changes nothing
    assert page.status_code == 200 and "Stop the evening digest?" in page.content.decode()
    team.lead.refresh_from_db()
    assert team.lead.mail_digest
    one_click = Client(enforce_csrf_checks=True)  # the mail client's POST, as RFC 8058 has it: no token
    response = one_click.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "no longer gets the evening digest" in response.content.decode()
    team.lead.refresh_from_db()
    assert not team.lead.mail_digest and team.lead.mail_week  # that kind only


@pytest.mark.parametrize("token", ["WzEsImRpZ2VzdCJd:1xZBVw:forged", "nonsense", "WzEsIm5vcGUiXQ"])
def test_a_forged_or_broken_unsubscribe_link_is_404(client, token):
    assert client.post(f"/mail/unsubscribe/{token}/").status_code == 404


def test_an_unsubscribe_link_for_a_kind_someone_else_made_up_is_404(client, team):
    from django.core import signing

    from teams.mail import UNSUBSCRIBE_SALT

    token = signing.dumps([team.lead.pk, "is_staff"], salt=UNSUBSCRIBE_SALT, compress=True)
    assert client.post(f"/mail/unsubscribe/{token}/").status_code == 404


def test_preferences_for_every_kind_on_the_account_page(client, team):
    client.force_login(team.ana)
    page = client.get("/account/").content.decode()
    for label in ("Evening digest", "My week", "evening nudge", "morning prompt", "Digest time"):
        assert label in page
    response = client.post("/account/mail/", {"mail_week": "on", "mail_nudge": "on", "digest_at": "20:15"}, follow=True)
    assert "Mail settings saved." in response.content.decode()
    team.ana.refresh_from_db()
    assert (team.ana.mail_digest, team.ana.mail_week, team.ana.mail_nudge, team.ana.mail_morning) == (
        False,
        True,
        True,
        False,
    )
    assert team.ana.digest_at.strftime("%H:%M") == "20:15"


def test_a_bad_digest_time_is_refused_next_to_the_field_and_keeps_the_rest(client, team):
    client.force_login(team.ana)
    response = client.post("/account/mail/", {"mail_nudge": "on", "digest_at": "25:99"})
    page = response.content.decode()
    assert response.status_code == 200 and "Enter a valid time." in page
    assert re.search(r'<input type="checkbox" name="mail_nudge"[^>]*checked', page)
    team.ana.refresh_from_db()
    assert not team.ana.mail_nudge


def test_mail_settings_take_a_post_only(client, team):
    client.force_login(team.ana)
    assert client.get("/account/mail/").status_code == 405
    assert mail.outbox == []


def test_the_morning_prompt_names_macro_goals_before_micro_ones(team):
    ana, today = team.ana, team.ana.local_today()
    macro = Goal.objects.create(owner=ana, title="10k under 50:00")
    for n in range(3):
        Goal.objects.create(owner=ana, parent=macro, title=f"Step {n}")
    body = compose(ana, MailKind.MORNING, today, timezone.now()).body
    assert "10k under 50:00" in body and body.index("10k under 50:00") < body.index("Step 2") < body.index("Step 1")


def test_show_mail_prints_the_digest_and_the_week_readable_without_sending(team, make_win):
    from io import StringIO

    from django.core.management import call_command

    make_win(team.ana, team=team, text="Ran 5k before work", day=team.local_today())
    out = StringIO()
    call_command("show_mail", "digest", team.lead.email, stdout=out)
    call_command("show_mail", "week", team.ana.email, stdout=out)
    printed = out.getvalue()
    assert "Subject: Run Club," in printed and "Ran 5k before work" in printed  # the text part, not encoded
    assert "Subject: Your week:" in printed and "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in printed
    assert "Content-Transfer-Encoding" not in printed
    assert mail.outbox == [] and not Delivery.objects.exists()  # nothing sent, nothing recorded
