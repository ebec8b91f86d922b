"""The schedule claims each mail once when it falls due, the worker sends it once; a missed run catches up, a
failed send is tried again, and two schedulers and two workers racing on PostgreSQL still send each mail once."""

import smtplib
import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection

from digests.models import Delivery
from digests.services import deliver, queue_due_mail
from teams.models import Person
from tests.conftest import db_worker

# Wednesday 17 June 2026: 18:00 in Paris is 16:00 UTC.
PARIS_SIX_PM = datetime(2026, 6, 17, 16, 0, tzinfo=UTC)


@pytest.fixture
def team(make_team, make_win):
    team = make_team(members=2, name="Run Club", time_zone="Europe/Paris")
    Person.objects.update(mail_week=False)  # the digest alone, unless a test asks for more
    make_win(team.members[0], team, text="Ran 5k", day=date(2026, 6, 17))  # news for the digest of the 17th
    return team


@pytest.fixture
def queue(django_capture_on_commit_callbacks, run_tasks):
    """Run the schedule at `now`, then the worker: the claims made."""

    def run(now):
        with django_capture_on_commit_callbacks(execute=True):
            claims = queue_due_mail(now=now)
        run_tasks()
        return claims

    return run


def test_a_digest_is_claimed_and_sent_once_however_often_the_schedule_runs(team, queue):
    assert queue(PARIS_SIX_PM - timedelta(minutes=1)) == []
    (claim,) = queue(PARIS_SIX_PM)
    assert (claim.kind, claim.person, claim.team, str(claim.period)) == ("digest", team.lead, team, "2026-06-17")
    for minutes in (1, 5, 60, 299):
        assert queue(PARIS_SIX_PM + timedelta(minutes=minutes)) == []
    (message,) = mail.outbox
    assert message.to == [team.lead.email] and message.subject.startswith("Run Club, Wednesday 17 June")
    claim.refresh_from_db()
    assert claim.done_at is not None


def test_a_missed_run_catches_up_and_a_stale_mail_is_not_sent(team, queue):
    assert len(queue(PARIS_SIX_PM + timedelta(hours=4, minutes=59))) == 1  # down from 18:00 to 22:59
    mail.outbox.clear()
    Delivery.objects.all().delete()
    assert queue(PARIS_SIX_PM + timedelta(hours=5)) == []  # 23:00: too late for the 17th's digest
    assert mail.outbox == []


def test_each_lead_gets_it_at_the_time_they_chose_in_the_teams_zone(team, queue):
    Person.objects.filter(pk=team.lead.pk).update(digest_at=time(20, 30))
    assert queue(PARIS_SIX_PM) == []
    assert len(queue(PARIS_SIX_PM + timedelta(hours=2, minutes=30))) == 1


def test_nothing_is_queued_for_a_kind_turned_off_an_unverified_address_or_a_deactivated_person(team, queue):
    from allauth.account.models import EmailAddress

    Person.objects.filter(pk=team.lead.pk).update(mail_digest=False)
    assert queue(PARIS_SIX_PM) == []
    Person.objects.filter(pk=team.lead.pk).update(mail_digest=True, is_active=False)
    assert queue(PARIS_SIX_PM) == []
    Person.objects.filter(pk=team.lead.pk).update(is_active=True)
    EmailAddress.objects.filter(user=team.lead).update(verified=False)
    assert queue(PARIS_SIX_PM) == []
    assert mail.outbox == []


def test_a_kind_turned_off_after_the_claim_is_not_sent(team, django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        assert len(queue_due_mail(now=PARIS_SIX_PM)) == 1
    Person.objects.filter(pk=team.lead.pk).update(mail_digest=False)  # the unsubscribe link, meanwhile
    run_tasks()
    assert mail.outbox == []


def test_members_weeks_nudges_and_morning_prompts_come_at_their_own_local_times(team, queue):
    ana, ben = team.members
    Person.objects.filter(pk=ana.pk).update(time_zone="Asia/Tokyo", mail_week=True, mail_morning=True)
    Person.objects.filter(pk=ben.pk).update(time_zone="America/Los_Angeles", mail_nudge=True)
    Person.objects.filter(pk=team.lead.pk).update(mail_digest=False)
    sunday_8pm_tokyo = datetime(2026, 6, 21, 11, 0, tzinfo=UTC)
    assert [(c.kind, str(c.period)) for c in queue(sunday_8pm_tokyo)] == [("week", "2026-06-15")]
    monday_8am_tokyo = datetime(2026, 6, 21, 23, 0, tzinfo=UTC)
    assert [(c.kind, str(c.period)) for c in queue(monday_8am_tokyo)] == [("morning", "2026-06-22")]
    monday_7pm_los_angeles = datetime(2026, 6, 23, 2, 0, tzinfo=UTC)
    assert [(c.kind, str(c.period)) for c in queue(monday_7pm_los_angeles)] == [("nudge", "2026-06-22")]
    assert [m.to[0] for m in mail.outbox] == [ana.email, ana.email, ben.email]


def test_a_nudge_found_unneeded_is_stamped_not_sent_and_not_claimed_again(team, queue, make_win):
    ana = team.members[0]
    Person.objects.filter(pk=ana.pk).update(mail_nudge=True, time_zone="Europe/Paris", mail_digest=False)
    Person.objects.filter(pk=team.lead.pk).update(mail_digest=False)
    ana.refresh_from_db()
    make_win(ana, team=team, day=ana.local_today(PARIS_SIX_PM))
    seven_pm = PARIS_SIX_PM + timedelta(hours=1)
    assert len(queue(seven_pm)) == 1
    assert queue(seven_pm + timedelta(minutes=5)) == []
    assert mail.outbox == [] and Delivery.objects.get().done_at is not None


def test_a_mail_server_out_of_reach_unclaims_the_mail_and_the_next_run_sends_it_once(team, queue, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "try again later")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.open", refuse)
        assert len(queue(PARIS_SIX_PM)) == 1
    assert not Delivery.objects.exists() and mail.outbox == []
    assert len(queue(PARIS_SIX_PM + timedelta(minutes=5))) == 1
    assert len(queue(PARIS_SIX_PM + timedelta(minutes=10))) == 0
    assert len(mail.outbox) == 1


def test_a_failure_while_sending_is_not_tried_again_the_server_may_have_taken_it(team, queue, monkeypatch):
    def lost_reply(*args, **kwargs):
        raise TimeoutError("no reply to DATA")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", lost_reply)
        assert len(queue(PARIS_SIX_PM)) == 1
    assert Delivery.objects.get().done_at is not None
    assert queue(PARIS_SIX_PM + timedelta(minutes=5)) == []
    assert mail.outbox == []


def test_a_claim_and_its_task_commit_together(team, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks() as callbacks:
        (claim,) = queue_due_mail(now=PARIS_SIX_PM)
    assert callbacks == []  # nothing waits for a commit that may not come
    assert DBTaskResult.objects.get().args_kwargs["args"] == [claim.pk]


def test_a_delivery_already_stamped_is_not_sent_again(team, django_capture_on_commit_callbacks):
    (claim,) = queue_due_mail(now=PARIS_SIX_PM)
    assert deliver(delivery_id=claim.pk) is True
    assert deliver(delivery_id=claim.pk) is False  # a second worker, or the same task run again
    assert len(mail.outbox) == 1


def race(work, runners=2):
    """Run `work` in `runners` threads at once, each on its own database connection; their results."""
    start, results = threading.Barrier(runners), []

    def run():
        try:
            start.wait(timeout=10)
            results.append(work())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_and_two_workers_racing_send_each_mail_once(make_team, make_win):
    """On PostgreSQL, with real commits: two schedulers claim at the same instant, two db_workers run the tasks."""
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks; SQLite runs one writer at a time")
    from django_tasks_db.models import DBTaskResult

    teams = [make_team(members=3, time_zone="Europe/Paris") for _ in range(3)]
    for team in teams:
        make_win(team.members[0], team, day=date(2026, 6, 17))  # news for each digest
    Person.objects.update(mail_nudge=True, mail_week=False, time_zone="Europe/Paris")  # and the leads' digests
    seven_pm = PARIS_SIX_PM + timedelta(hours=1)
    race(lambda: queue_due_mail(now=seven_pm))
    race(lambda: db_worker(f"w{threading.get_ident()}").run())
    people = sum(len(t.members) + 1 for t in teams)
    assert Delivery.objects.filter(kind="nudge").count() == people
    assert Delivery.objects.filter(kind="digest").count() == len(teams)
    assert Delivery.objects.filter(done_at=None).count() == 0
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == people + len(teams)
    sent = [(m.to[0], m.subject) for m in mail.outbox]
    nudges = people - len(teams)  # each team's poster has a win: their nudge is stamped, not sent
    assert len(sent) == len(set(sent)) == nudges + len(teams)


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_claim_send_it_once(make_team, make_win):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks")
    team = make_team(members=0, time_zone="Europe/Paris")
    make_win(team.lead, team, day=date(2026, 6, 17))
    Person.objects.update(mail_week=False)
    (claim,) = queue_due_mail(now=PARIS_SIX_PM)
    assert sorted(race(lambda: deliver(delivery_id=claim.pk))) == [False, True]
    assert [m.to for m in mail.outbox] == [[team.lead.email]]


def test_the_schedule_forgets_mail_sent_long_ago_and_old_task_results(
    team, queue, clock, django_capture_on_commit_callbacks
):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    for days_ago in (61, 1):
        clock.move_to(PARIS_SIX_PM - timedelta(days=days_ago))
        queue(PARIS_SIX_PM - timedelta(days=days_ago))
    assert Delivery.objects.count() == DBTaskResult.objects.finished().count() == 2
    clock.move_to(PARIS_SIX_PM + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("queue_due_mail", verbosity=0)
    assert [str(d.period) for d in Delivery.objects.order_by("period")] == ["2026-06-16", "2026-06-17"]
    assert DBTaskResult.objects.finished().count() == 1  # yesterday's; today's is queued, not run yet


def test_the_every_loop_outlives_a_failed_run(db, monkeypatch):
    from django.core.management import call_command
    from django.db import OperationalError

    runs, sleeps = [], []

    def flaky():
        runs.append(1)
        if len(runs) == 1:
            raise OperationalError("the database restarted")
        return []

    def sleep(seconds):
        sleeps.append(seconds)
        if len(sleeps) == 2:
            raise KeyboardInterrupt  # end the test's loop

    monkeypatch.setattr("digests.management.commands.queue_due_mail.queue_due_mail", flaky)
    monkeypatch.setattr("digests.management.commands.queue_due_mail.time.sleep", sleep)
    monkeypatch.setattr("digests.management.commands.queue_due_mail.close_old_connections", lambda: None)  # the test's
    with pytest.raises(KeyboardInterrupt):
        call_command("queue_due_mail", every=60)
    assert len(runs) == 2 and sleeps == [60, 60]
