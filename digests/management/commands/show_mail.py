from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digests import content
from teams.mail import ConsoleBackend
from teams.models import MailKind, Membership, Person


class Command(BaseCommand):
    help = (
        "Print the mail of a kind that a person would get now (the text part; --html saves the HTML), without "
        "sending it or recording anything: `show_mail digest lead@example.com`, `show_mail week member@...`."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=MailKind.values)
        parser.add_argument("email")
        parser.add_argument("--team", help="The team of a digest (its slug); else the first team they lead.")
        parser.add_argument("--html", metavar="PATH", help="Also write the HTML part to PATH.")

    def handle(self, *args, kind, email, team=None, html=None, **options):
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            raise CommandError(f"No one signs in as {email}.")
        now, lead_team = timezone.now(), None
        if kind == MailKind.DIGEST:
            leads = Membership.objects.filter(person=person, role=Membership.Role.LEAD).select_related("team")
            membership = leads.filter(team__slug=team).first() if team else leads.order_by("team__name").first()
            if membership is None:
                raise CommandError(f"{email} leads no team{f' {team}' if team else ''}: a digest goes to leads.")
            lead_team = membership.team
            period = lead_team.local_today(now)
        else:
            period = person.local_today(now)
            if kind == MailKind.WEEK:  # the week so far
                period -= timedelta(days=(period.weekday() - person.week_start) % 7)
        message = content.compose(person, kind, period, now, team=lead_team)
        if message is None:
            self.stdout.write(f"No {MailKind(kind).label} for {email} now: nothing to say.")
            return
        ConsoleBackend(stream=self.stdout).send_messages([message])
        if html:
            with open(html, "w", encoding="utf-8") as file:
                file.write(message.alternatives[0].content)
            self.stdout.write(f"(HTML written to {html})")
