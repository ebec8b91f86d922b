"""A private win is seen and counted by its author only: nobody else's pages move by a byte.

A lead, a member and an outsider render every page and fragment they can reach (every route of the
project, walked from the URL resolver with every value its parameters can take here, plain and as
htmx, with the query strings the screens use). Then a teammate posts private wins: plain, on a team
goal, on goals of their own until one is achieved, past a win milestone, and sets a private goal.
Rendered again, with CSRF tokens, nonces and client keys taken out, every response is the same.
"""

import io
import itertools
import re
import uuid
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from digests.content import compose
from goals.models import Goal
from teams.models import MailKind, Membership
from teams.services import create_invitation, create_team
from tests.test_authz_matrix import project_routes
from wins.models import Win

from .conftest import share_goal

# Query strings the screens put on their own URLs.
VARIANTS = {
    "wins:feed": ["", "?page=2", "?person={actor}", "?goal={team_goal}", "?start=2026-06-01&end=2026-06-17"],
    "goals:dashboard": [
        "",
        "?part=live",
        "?range=last-week",
        "?range=30d&sort=points&desc=on",
        "?range=custom&start=2026-01-05&end=2026-06-17",
        "?range=custom&start=2026-01-05&end=2026-06-17&part=live",
    ],
    "wins:export_team": ["", "?start=2026-01-01&end=2026-06-17"],
}
SECRETS = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[^"]+|("x-csrftoken": ")[^"]+|(nonce=")[^"]+'
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def normalised(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == "application/zip":  # the data export: what its files say
        archive = zipfile.ZipFile(io.BytesIO(body))
        body = b"".join(archive.read(name) for name in sorted(archive.namelist()))
    text = SECRETS.sub(lambda m: next((g for g in m.groups() if g), "") + "…", body.decode())
    return response.status_code, response.get("Location", ""), text


@pytest.fixture
def world(clock, make_person, make_win):
    """Team Alpha: a lead, a member and the actor, with shared history and goals; an outsider in Beta."""
    lead = make_person("Lena Lead")
    alpha = create_team(lead=lead, name="Alpha", purpose="Ship small things")
    member, actor = make_person("Max Member"), make_person("Ada Actor", active_days=0b1111111)
    Membership.objects.bulk_create([Membership(team=alpha, person=member), Membership(team=alpha, person=actor)])
    outsider = make_person("Otto Outsider")
    beta = create_team(lead=outsider, name="Beta")
    kind = alpha.score_kinds.first()
    team_goal = Goal.objects.create(team=alpha, title="250 wins together", kind="count", target=250)
    runs = Goal.objects.create(owner=actor, title="Run three times a week", kind="activity", target=3, period="week")
    shared = Goal.objects.create(owner=actor, title="Ten guest posts", kind="count", target=10)
    share_goal(shared, alpha)
    Goal.objects.create(team=beta, title="Beta's goal", kind="count", target=5)
    today = actor.local_today()
    for n in range(8):  # eight shared wins: the ninth and tenth, if private, pass the 10-win milestone
        make_win(actor, alpha, text=f"Shared win {n}", kind=kind, goal=[team_goal, shared, None][n % 3])
    for person in (lead, member):
        make_win(person, alpha, text=f"{person.display_name}'s win", kind=kind, goal=team_goal)
    make_win(actor, alpha, text="Earlier in the week", day=today - timedelta(days=2))
    invitation = create_invitation(team=alpha, created_by=lead, role="member", multi_use=True)
    codes = dict(alpha.memberships.values_list("person__display_name", "code"))
    return {
        "alpha": alpha,
        "beta": beta,
        "actor": actor,
        "viewers": {"lead": lead, "member": member, "outsider": outsider},
        "team_goal": team_goal,
        "runs": runs,
        "shared": shared,
        "kind": kind,
        "params": {
            "team_slug": [alpha.slug, beta.slug],
            "member_code": [*codes.values(), beta.memberships.get().code],
            "goal_code": [
                team_goal.code,
                runs.code,
                shared.code,
                *Goal.objects.filter(team=beta).values_list("code", flat=True),
            ],
            "win_code": [Win.objects.filter(author=actor).first().code],
            "token": [invitation.token],
            "day": [today],
            "code": ["no-such-intention"],
            "action": ["toggle"],
            "invitation_id": [invitation.pk],
            "blocker_id": [1],
            "kind_id": [kind.pk],
            "session_id": [1],
        },
        "codes": {"actor": codes["Ada Actor"]},
    }


def urls(world):
    """Every URL of the project with every value its parameters can take in this world."""
    for name, route in sorted(project_routes()):
        params = re.findall(r"<(?:[\w-]+:)?(\w+)>", route)
        for values in itertools.product(*(world["params"][p] for p in params)):
            base = reverse(name, kwargs=dict(zip(params, values, strict=True)))
            for variant in VARIANTS.get(name, [""]):
                yield base + variant.format(actor=world["codes"]["actor"], team_goal=world["team_goal"].code)


def render_everything(world, clients):
    pages = {}
    for who, client in clients.items():
        person = world["viewers"][who]
        for url in urls(world):
            person.current_team = world["beta"] if who == "outsider" else world["alpha"]
            person.save(update_fields=["current_team"])
            pages[who, url] = normalised(client.get(url))
            pages[who, url, "htmx"] = normalised(client.get(url, headers={"HX-Request": "true"}))
    return pages


def act_in_private(world, make_win):
    """The actor's private day: nothing of it may reach anyone else."""
    actor, alpha, kind = world["actor"], world["alpha"], world["kind"]
    private = {"visibility": "private", "kind": kind}
    make_win(actor, alpha, text="A private win", **private)
    make_win(actor, alpha, text="Private, on the team goal", goal=world["team_goal"], **private)
    make_win(actor, alpha, text="Private run", goal=world["runs"], **private)
    make_win(actor, alpha, text="Private guest post", goal=world["shared"], **private)
    goal = Goal.objects.create(owner=actor, title="Secret side project", kind="count", target=3)
    for n in range(3):  # the third achieves it
        make_win(actor, alpha, text=f"Side project step {n}", goal=goal, **private)
    make_win(actor, None, text="A personal win, in no team")
    Goal.objects.create(owner=actor, title="Private plan", kind="milestone")
    assert Goal.objects.get(pk=goal.pk).status == Goal.Status.ACHIEVED
    assert Win.objects.filter(author=actor).count() >= 10  # past the 10-win milestone


def test_private_wins_and_goals_change_nothing_anyone_else_sees(world, make_win):
    clients = {who: Client() for who in world["viewers"]}
    for who, client in clients.items():
        client.force_login(world["viewers"][who])
    render_everything(world, clients)  # the first visit marks celebrations seen and picks current teams
    before = render_everything(world, clients)
    act_in_private(world, make_win)
    after = render_everything(world, clients)
    changed = sorted(str(key) for key in before if before[key] != after[key])
    assert not changed, f"{len(changed)} of {len(before)} responses changed: {changed[:20]}"
    assert any(status == 200 and "Shared win" in text for status, _, text in before.values())


def render_every_mail(world):
    """Every mail each viewer could get now: the digest of each team they lead (yesterday's, today's and
    tomorrow's: its members live in other zones), their week, nudge and morning prompt."""
    now, mails = timezone.now(), {}
    for who, person in world["viewers"].items():
        today = person.local_today(now)
        for kind in MailKind.values:
            if kind == MailKind.DIGEST:
                led = [m.team for m in person.memberships.filter(role="lead").select_related("team")]
                asked = [(team, team.local_today(now) + timedelta(days=n)) for team in led for n in (-1, 0, 1)]
            else:
                asked = [(None, today - timedelta(days=today.weekday()) if kind == MailKind.WEEK else today)]
            for team, period in asked:
                message = compose(person, kind, period, now, team=team)
                parts = message and (message.subject, message.body, message.alternatives[0].content)
                mails[who, kind, team and team.name, period] = parts
    return mails


def test_private_wins_and_goals_change_no_mail_anyone_else_gets(world, make_win):
    before = render_every_mail(world)
    act_in_private(world, make_win)
    after = render_every_mail(world)
    changed = sorted(str(key) for key in before if before[key] != after[key])
    assert not changed, f"{len(changed)} of {len(before)} mails changed: {changed}"
    digests = [parts for (who, kind, *_), parts in before.items() if kind == MailKind.DIGEST and parts]
    assert any("Shared win" in body for _, body, _ in digests)


def test_a_private_goal_answers_like_a_goal_that_does_not_exist(client, world, make_win):
    act_in_private(world, make_win)
    secret = Goal.objects.get(title="Secret side project")
    for person in world["viewers"].values():
        client.force_login(person)
        known, unknown = client.get(f"/goals/{secret.code}/"), client.get(f"/goals/{uuid.uuid4().hex[:11]}/")
        assert known.status_code == unknown.status_code == 404
