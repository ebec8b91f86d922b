import itertools
import uuid
from datetime import UTC, datetime, timedelta

import hypothesis
import pytest
import time_machine
from allauth.account.models import EmailAddress

from teams.models import Membership, Person
from teams.services import create_team
from wins import rollups
from wins.models import Applause, Comment, Win
from wins.services import record_win

_numbers = itertools.count(1)

# Property tests: the same examples every run (CI must not turn red by chance), no per-example deadline
# (a loaded two-core machine is slow), and no example database left in the work tree.
hypothesis.settings.register_profile("microwins", deadline=None, derandomize=True, database=None)
hypothesis.settings.load_profile("microwins")


# The moment every test lives in: half past eleven at night (UTC) on a summer Wednesday, when London is
# already on Thursday and a team on UTC is still on Wednesday, the hour a suite on the real clock fails in.
NOW = datetime(2026, 6, 17, 23, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(request):
    """The clock pinned at NOW (still, or ticking on for the browser tests); `clock.shift(seconds)` moves it."""
    with time_machine.travel(NOW, tick="browser" in request.keywords) as traveller:
        yield traveller


def share_goal(goal, team):
    """Share a person's goal with one of their teams."""
    goal.shared_with = team
    goal.save(update_fields=["shared_with"])


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_person(db):
    """Make a verified person who can sign in with the password `pw-for-tests`."""

    def make(display_name=None, time_zone="Europe/London", **fields):
        n = next(_numbers)
        email = fields.pop("email", f"person{n}@example.com")
        person = Person.objects.create_user(
            email, "pw-for-tests", display_name=display_name or f"Person {n}", time_zone=time_zone, **fields
        )
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        return person

    return make


@pytest.fixture
def make_team(make_person):
    """Make a team with a lead and `members` plain members: `team.lead`, `team.members` (people)."""

    def make(members=2, name=None, days=0, **fields):
        lead = make_person()
        team = create_team(lead=lead, name=name or f"Team {next(_numbers)}", **fields)
        team.lead = lead
        team.members = [make_person() for _ in range(members)]
        Membership.objects.bulk_create(Membership(team=team, person=p) for p in team.members)
        if days:
            make_history(team, [lead, *team.members], days)
        return team

    return make


def make_history(team, people, days, per_day=2):
    """`per_day` wins a day for `days` days for each person, with applause and a comment on each."""
    kinds = list(team.score_kinds.all())
    wins = Win.objects.bulk_create(
        Win(
            author=person,
            team=team,
            kind=kinds[(d + i) % len(kinds)],
            points=kinds[(d + i) % len(kinds)].points,
            text=f"Win {d}.{i} of {person.display_name}",
            day=person.local_today() - timedelta(days=d),
            client_key=uuid.uuid4(),
        )
        for person in people
        for d in range(days)
        for i in range(per_day)
    )
    others = {p.pk: [o for o in people if o != p] for p in people}
    Applause.objects.bulk_create(Applause(win=w, person=o) for w in wins for o in others[w.author_id][:2])
    Comment.objects.bulk_create(Comment(win=w, author=o, text="Nice") for w in wins for o in others[w.author_id][:1])
    rollups.rebuild(team)
    return wins


@pytest.fixture
def make_win(db):
    """Post a win through the service, as the product does."""

    def make(author, team=None, text="A small win", day=None, **fields):
        win, _ = record_win(
            author=author,
            team=team,
            text=text,
            day=day or author.local_today(),
            client_key=fields.pop("client_key", uuid.uuid4()),
            limited=False,  # history made in an instant: no person posts this fast
            **fields,
        )
        return win

    return make


def db_worker(worker_id="test"):
    """django-tasks-db's own worker, as `manage.py db_worker --batch` makes it: every queue, no waiting."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


@pytest.fixture
def run_tasks(db):
    """Run the queued tasks as `manage.py db_worker` does (its Worker.run_task), in the test's own transaction;
    returns how many ran. Tasks are queued on commit: capture it with django_capture_on_commit_callbacks."""
    from django_tasks_db.models import DBTaskResult

    def run():
        worker, ran = db_worker(), 0
        while (result := DBTaskResult.objects.ready().get_locked()) is not None:
            result.claim("test")
            worker.run_task(result)
            ran += 1
        return ran

    return run


def totp_code(secret):
    """The code an authenticator app shows now for `secret`, by allauth's own TOTP helpers."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
