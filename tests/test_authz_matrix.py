"""Every route of the project, walked from the URL resolver, against anonymous, outsider, member and lead.

A new route without an entry in ROUTES fails `test_every_route_is_in_the_matrix`.
"""

import uuid

import pytest
from allauth.usersessions.models import UserSession
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goals.models import Goal, Intention, Review
from teams.models import Blocker
from teams.services import create_invitation

SKIP_PREFIXES = ("accounts/", "admin/")  # allauth's and the admin's own pages: not team-scoped

# name: (method, kwargs needed, {who: status}); "login" means a redirect to sign in.
ROUTES = {
    "landing": ("GET", [], {"anonymous": 200, "outsider": 302, "member": 302, "lead": 302}),
    "healthz": ("GET", [], {"anonymous": 200, "outsider": 200, "member": 200, "lead": 200}),
    # The installed app's files: the same for everyone, nothing of anyone in them (tests/test_installed_app.py).
    "manifest": ("GET", [], {"anonymous": 200, "outsider": 200, "member": 200, "lead": 200}),
    "service_worker": ("GET", [], {"anonymous": 200, "outsider": 200, "member": 200, "lead": 200}),
    "offline": ("GET", [], {"anonymous": 200, "outsider": 200, "member": 200, "lead": 200}),
    "wins:today": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "teams:account": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "teams:mail": ("POST", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    # Signed links from mail, for anyone holding one: any other token (here an invitation's) is 404.
    "teams:unsubscribe": ("GET", ["token"], {"anonymous": 404, "outsider": 404, "member": 404, "lead": 404}),
    "teams:delete_account": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "teams:end_other_sessions": ("POST", [], {"anonymous": "login", "outsider": 302, "member": 302, "lead": 302}),
    # A teammate's session: only its person sees or ends it.
    "teams:end_session": (
        "POST",
        ["session_id"],
        {"anonymous": "login", "outsider": 404, "member": 404, "lead": 404},
    ),
    "goals:export": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "teams:new": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "teams:join": ("GET", ["token"], {"anonymous": 200, "outsider": 200, "member": 302, "lead": 302}),
    "wins:feed": ("GET", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 200, "lead": 200}),
    "teams:settings": ("GET", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 403, "lead": 200}),
    "teams:invite": ("POST", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302}),
    "teams:revoke": (
        "POST",
        ["team_slug", "invitation_id"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302},
    ),
    "teams:role": (
        "POST",
        ["team_slug", "member_code"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302},
    ),
    "teams:remove": (
        "POST",
        ["team_slug", "member_code"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302},
    ),
    "teams:confirm_remove": (
        "GET",
        ["team_slug", "member_code"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 200},
    ),
    "teams:leave": ("POST", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 302, "lead": 302}),
    "teams:confirm_leave": ("GET", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 200, "lead": 200}),
    "teams:add_kind": ("POST", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302}),
    "teams:edit_kind": (
        "POST",
        ["team_slug", "kind_id"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302},
    ),
    "teams:move_kind": (
        "POST",
        ["team_slug", "kind_id"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302},
    ),
    "teams:archive_kind": (
        "POST",
        ["team_slug", "kind_id"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302},
    ),
    "wins:post": ("POST", [], {"anonymous": "login", "outsider": 302, "member": 302, "lead": 302}),
    "wins:export_mine": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "goals:dashboard": ("GET", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 200, "lead": 200}),
    "goals:person": (
        "GET",
        ["team_slug", "member_code"],
        {"anonymous": "login", "outsider": 404, "member": 200, "lead": 200},
    ),
    "wins:export_team": ("GET", ["team_slug"], {"anonymous": "login", "outsider": 404, "member": 403, "lead": 200}),
    # A teammate's win: only its author edits, deletes or restores it; the team applauds and comments.
    "wins:edit": ("GET", ["win_code"], {"anonymous": "login", "outsider": 404, "member": 404, "lead": 404}),
    "wins:delete": ("POST", ["win_code"], {"anonymous": "login", "outsider": 404, "member": 404, "lead": 404}),
    "wins:restore": ("POST", ["win_code"], {"anonymous": "login", "outsider": 404, "member": 404, "lead": 404}),
    "wins:applaud": ("POST", ["win_code"], {"anonymous": "login", "outsider": 404, "member": 302, "lead": 302}),
    # GET lists a win's comments; POST adds one (tests/wins/test_feed.py, tests/teams/test_former_members.py)
    "wins:comment": ("GET", ["win_code"], {"anonymous": "login", "outsider": 404, "member": 200, "lead": 200}),
    "goals:index": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "goals:panel": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "goals:new": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "goals:start": ("POST", [], {"anonymous": "login", "outsider": 302, "member": 302, "lead": 302}),
    # The team's goal: the team sees it, its leads change it.
    "goals:detail": ("GET", ["goal_code"], {"anonymous": "login", "outsider": 404, "member": 200, "lead": 200}),
    "goals:measure": ("POST", ["goal_code"], {"anonymous": "login", "outsider": 404, "member": 403, "lead": 200}),
    "goals:status": ("POST", ["goal_code"], {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302}),
    "goals:plan": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    "goals:review": ("GET", [], {"anonymous": "login", "outsider": 200, "member": 200, "lead": 200}),
    # A teammate's intention and review are theirs alone, leads included.
    "goals:intention": (
        "POST",
        ["code", "action"],
        {"anonymous": "login", "outsider": 404, "member": 404, "lead": 404},
    ),
    "goals:past_review": ("GET", ["day"], {"anonymous": "login", "outsider": 404, "member": 404, "lead": 404}),
    "teams:clear_blocker": (
        "POST",
        ["team_slug", "blocker_id"],
        {"anonymous": "login", "outsider": 404, "member": 403, "lead": 302},
    ),
    "teams:withdraw_blocker": (
        "POST",
        ["team_slug", "blocker_id"],
        {"anonymous": "login", "outsider": 404, "member": 404, "lead": 404},
    ),
}
# Routes naming an object of a team: tried with another team's object under the person's own team.
CROSS_TEAM = ["teams:revoke", "teams:role", "teams:remove", "teams:edit_kind", "teams:move_kind", "teams:archive_kind"]


def project_routes(resolver=None, prefix="", namespace=None):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIP_PREFIXES) or route.startswith("^static"):
            continue
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from project_routes(pattern, route, ns or None)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, route


def test_every_route_is_in_the_matrix():
    missing = sorted(f"{name} ({route})" for name, route in project_routes() if name not in ROUTES)
    assert not missing, f"add these routes to the authorization matrix: {missing}"


@pytest.fixture
def world(make_team, make_person, make_win):
    team = make_team(members=2, purpose="Secret purpose of the team")
    invitation = create_invitation(team=team, created_by=team.lead, role="member")
    target = team.memberships.get(person=team.members[1])
    win = make_win(team.members[1], team, text="Secret team win")
    goal = Goal.objects.create(team=team, title="Secret team goal", kind="measure", unit="km", target=10, baseline=0)
    day = team.members[1].local_today()
    intention = Intention.objects.create(person=team.members[1], day=day, text="Secret intention")
    Review.objects.create(person=team.members[1], day=day, learnt="Secret review")
    blocker = Blocker.objects.create(team=team, raised_by=team.members[1], text="Secret blocker", day=day)
    session = UserSession.objects.create(
        user=team.members[1], ip="127.0.0.1", session_key="s" * 32, user_agent="Secret"
    )
    return {
        "team": team,
        "people": {"anonymous": None, "outsider": make_person(), "member": team.members[0], "lead": team.lead},
        "kwargs": {
            "team_slug": team.slug,
            "token": invitation.token,
            "invitation_id": invitation.pk,
            "member_code": target.code,
            "win_code": win.code,
            "code": intention.code,
            "goal_code": goal.code,
            "day": day,
            "blocker_id": blocker.pk,
            "session_id": session.pk,
            "action": "toggle",
            "kind_id": team.score_kinds.first().pk,
        },
    }


def request_as(client, person, method, url, data=None):
    if person:
        client.force_login(person)
    return client.post(url, data or {}) if method == "POST" else client.get(url)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "lead"])
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_answers_each_kind_of_person(client, world, name, who):
    method, params, expected = ROUTES[name]
    url = reverse(name, kwargs={p: world["kwargs"][p] for p in params})
    data = {"role": "lead", "days": 14, "text": "A win", "client_key": str(uuid.uuid4()), "starter": "career"}
    data |= {"name": "Kind", "emoji": "⭐", "points": 2, "new-name": "New", "new-emoji": "⭐", "new-points": 1}
    response = request_as(client, world["people"][who], method, url, data)
    if expected[who] == "login":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), (name, who)
    else:
        assert response.status_code == expected[who], (name, who, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if who in ("anonymous", "outsider") and "token" not in params:  # an invitation's token shows its team
        assert b"Secret purpose of the team" not in body
        assert b"Secret team win" not in body and b"Secret team goal" not in body
    if who != "lead" or name not in ("wins:feed", "goals:dashboard"):  # only leads see blockers, on team pages
        assert b"Secret blocker" not in body
    assert b"Secret intention" not in body and b"Secret review" not in body


@pytest.mark.parametrize("name", CROSS_TEAM)
def test_objects_of_another_team_are_404_through_my_team(client, world, make_team, name):
    mine = make_team()
    _, params, _ = ROUTES[name]
    url = reverse(name, kwargs={p: mine.slug if p == "team_slug" else world["kwargs"][p] for p in params})
    assert request_as(client, mine.lead, "POST", url, {"role": "lead", "days": 14}).status_code == 404


@pytest.mark.parametrize("name", [n for n, (method, _, _) in ROUTES.items() if method == "POST"])
def test_post_routes_refuse_get(client, world, name):
    _, params, _ = ROUTES[name]
    client.force_login(world["team"].lead)
    url = reverse(name, kwargs={p: world["kwargs"][p] for p in params})
    assert client.get(url).status_code == 405
