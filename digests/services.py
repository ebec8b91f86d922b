"""The mail schedule: claim what has fallen due, then send each claimed mail once, from the worker."""

import logging
import smtplib
import zoneinfo
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.mail import mailers
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from teams.models import MailKind, Membership, Person, active_weekdays

from . import content, schedule
from .models import Delivery

logger = logging.getLogger(__name__)


def due_mail(now):
    """[(kind, person id, team id or None, period)] of every mail due at `now` (see schedule) to a person who
    wants that kind and whose address is verified, and not claimed yet. Three queries, whatever the numbers."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True)
    wanted = Q(mail_digest=True) | Q(mail_week=True) | Q(mail_nudge=True) | Q(mail_morning=True)
    people = Person.objects.filter(wanted, Exists(verified), is_active=True)
    due = []
    for person in people.only(
        "time_zone", "week_start", "active_days", "mail_week", "mail_nudge", "mail_morning", "digest_at"
    ):
        zone, days = person.zone, active_weekdays(person.active_days)
        periods = {
            MailKind.WEEK: person.mail_week and schedule.due_week(now, zone, person.week_start),
            MailKind.NUDGE: person.mail_nudge and schedule.due_day(now, zone, "nudge", days),
            MailKind.MORNING: person.mail_morning and schedule.due_day(now, zone, "morning", days),
        }
        due += [(kind.value, person.pk, None, period) for kind, period in periods.items() if period]
    leads = Membership.objects.filter(role=Membership.Role.LEAD, person__in=people.filter(mail_digest=True))
    for person_id, team_id, zone, at in leads.values_list("person", "team", "team__time_zone", "person__digest_at"):
        if period := schedule.due_day(now, zoneinfo.ZoneInfo(zone), "digest", at=at):
            due.append((MailKind.DIGEST.value, person_id, team_id, period))
    if not due:
        return []
    periods = Delivery.objects.filter(period__in={d[3] for d in due}, kind__in={d[0] for d in due})
    claimed = set(periods.values_list("kind", "person", "team", "period"))
    return [d for d in due if d not in claimed]


def queue_due_mail(*, now=None):
    """Claim every mail due at `now` with a Delivery row and queue its sending, both in one transaction: the
    queue is a table of the same database, so a claim never commits without its task (nor a task without its
    claim). A claim another scheduler made first is skipped (the constraint refuses the second). Returns the
    claims."""
    from .tasks import send_delivery  # the tasks module imports this one

    deliveries = []
    for kind, person_id, team_id, period in due_mail(now or timezone.now()):
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(kind=kind, person_id=person_id, team_id=team_id, period=period)
                send_delivery.enqueue(delivery.pk)
        except IntegrityError:
            continue
        deliveries.append(delivery)
    return deliveries


# How long records of sent mail are kept: well past the longest catch-up window, for a look back at what went.
KEEP_DELIVERIES = timedelta(days=60)
KEEP_TASK_RESULTS = timedelta(days=14)


def forget_old_mail(*, now=None):
    """Delete the records of mail sent long ago, and the worker's finished task results, so neither grows
    without end; a mail is claimed again only while it is due, days at most, so nothing can be sent twice."""
    now = now or timezone.now()
    Delivery.objects.filter(period__lt=(now - KEEP_DELIVERIES).date()).delete()
    DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_TASK_RESULTS).delete()


def deliver(*, delivery_id, now=None):
    """Send one claimed mail, once: the worker that stamps `done_at` first sends it, any other finds it stamped.
    A mail no longer wanted (turned off, a win came in, no longer a lead) is stamped and not sent. When the mail
    server cannot be reached, nothing went: the claim is dropped, so that the schedule's next run tries again
    while the mail is still due. A failure while sending stays stamped: the server may have taken the mail."""
    now = now or timezone.now()
    if not Delivery.objects.filter(pk=delivery_id, done_at=None).update(done_at=now):
        return False
    delivery = Delivery.objects.select_related("person", "team").get(pk=delivery_id)
    message = content.message(delivery, now)
    if message is None:
        return False
    mailer = mailers.default
    try:
        mailer.open()
    except (OSError, smtplib.SMTPException):
        delivery.delete()
        logger.exception("Could not reach the mail server for %s; the next run of the schedule tries again", delivery)
        raise
    try:
        mailer.send_messages([message])
    finally:
        mailer.close()
    return True
