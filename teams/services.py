"""Writes that span several rows or models: teams, memberships, invitations."""

import secrets
from datetime import timedelta
from functools import partial
from importlib import import_module

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from . import mail, score_sheets
from .models import Blocker, Departure, Invitation, Membership, Person, ScoreKind, Team
from .signals import membership_ended, team_deleting
from .versions import changed, forget

INVITATION_DAYS = 14
# Invitation mail goes to addresses anyone can type: a person, and a team, mail this many at most.
INVITATIONS_PER_HOUR = 20
INVITATIONS_PER_DAY = 100
LAST_LEAD = "A team needs at least one lead: make someone else a lead first."
TEAMS_CHANGED = "Your teams changed since this page was shown: read again which ones go with your account."


def unique_slug(name):
    """A slug from the name and a random tail (`design-k3f9`): a taken name must not show that a team has it."""
    return f"{slugify(name)[:80] or 'team'}-{secrets.token_hex(2)}"


@transaction.atomic
def create_team(*, lead, name, purpose="", time_zone="UTC", week_start=0, score_sheet="personal-brand"):
    """Create a team led by `lead`, with a copy of the chosen score sheet, and make it the lead's current team."""
    for attempt in range(5):
        try:
            with transaction.atomic():
                team = Team.objects.create(
                    name=name, slug=unique_slug(name), purpose=purpose, time_zone=time_zone, week_start=week_start
                )
            break
        except IntegrityError:  # another team has that slug: draw another tail
            if attempt == 4:
                raise
    Membership.objects.create(person=lead, team=team, role=Membership.Role.LEAD)
    _, kinds = score_sheets.TEMPLATES[score_sheet]
    ScoreKind.objects.bulk_create(
        ScoreKind(team=team, emoji=emoji, name=kind, points=points, position=i)
        for i, (emoji, kind, points) in enumerate(kinds)
    )
    lead.current_team = team
    lead.save(update_fields=["current_team"])
    return team


@transaction.atomic
def create_invitation(*, team, created_by, role, email="", multi_use=False, days=INVITATION_DAYS):
    """An invitation link; with an email, the link is mailed by the worker once the invitation is committed
    (ValidationError when a mail limit is reached)."""
    if email:
        check_mail_limits(team=team, person=created_by)
    invitation = Invitation.objects.create(
        team=team,
        created_by=created_by,
        role=role,
        email=email,
        multi_use=multi_use,
        expires_at=timezone.now() + timedelta(days=days),
    )
    if email:
        from .tasks import send_invitation  # the tasks module imports this one

        transaction.on_commit(partial(send_invitation.enqueue, invitation.pk))
    return invitation


def mail_invitation(*, invitation_id):
    """Mail an invitation's link to its address, unless it was withdrawn or used up meanwhile; True when sent."""
    invitation = Invitation.objects.select_related("team", "created_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.email or invitation.problem():
        return False
    inviter = one_line(invitation.created_by.display_name) if invitation.created_by else "A teammate"
    team_name = one_line(invitation.team.name)
    context = {
        "invitation": invitation,
        "inviter": inviter,
        "team_name": team_name,
        "join_url": mail.site_url(invitation.get_absolute_url()),
    }
    subject = f"{inviter} invites you to {team_name} on Microwins"
    mail.mail_message(to=invitation.email, subject=subject, template="teams/mail/invitation", context=context).send()
    return True


def one_line(text):
    """Names from before they had to be one line: their whitespace as single spaces (a mail header needs it)."""
    return " ".join(text.split())


def check_mail_limits(*, team, person):
    """Refuse mailing one more invitation past INVITATIONS_PER_HOUR or _PER_DAY, for the person or the team."""
    # One check at a time per person and per team, so that two sends at once cannot both pass the last place.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    Team.objects.select_for_update().filter(pk=team.pk).first()
    now = timezone.now()
    mailed = Invitation.objects.exclude(email="")
    for since, limit, words in (
        (now - timedelta(hours=1), INVITATIONS_PER_HOUR, "an hour"),
        (now - timedelta(days=1), INVITATIONS_PER_DAY, "a day"),
    ):
        recent = mailed.filter(created_at__gt=since)
        if recent.filter(created_by=person).count() >= limit or recent.filter(team=team).count() >= limit:
            raise ValidationError(
                f"That makes {limit} invitations {words}, the most we mail for you or your team. "
                "Share a link instead, or try again later."
            )


def invitation_problem(invitation, person=None):
    """Why this link cannot take this person (or anyone) into its team, in their words; None when it can."""
    if problem := invitation.problem():
        return problem
    if (
        person
        and Departure.objects.filter(team=invitation.team_id, person=person, left_at__gt=invitation.created_at).exists()
    ):
        return "You left this team after this link was made: ask a lead of the team for a new invitation."
    return None


@transaction.atomic
def accept_invitation(*, invitation_token, person):
    """Join the invitation's team (or keep an existing membership); raises ValidationError if the link is spent,
    or was made before the person left the team."""
    invitation = Invitation.objects.select_for_update().select_related("team").filter(token=invitation_token).first()
    if invitation is None:
        raise ValidationError("This invitation no longer exists.")
    membership = Membership.objects.filter(team=invitation.team, person=person).first()
    if membership:
        return membership
    if problem := invitation_problem(invitation, person):
        raise ValidationError(problem)
    membership = Membership.objects.create(team=invitation.team, person=person, role=invitation.role)
    Invitation.objects.filter(pk=invitation.pk).update(use_count=F("use_count") + 1)
    changed(*person.memberships.values_list("team_id", flat=True))  # what they count in each team moves
    person.current_team = invitation.team
    person.save(update_fields=["current_team"])
    return membership


def revoke_invitation(*, invitation):
    """Withdraw an invitation: its link stops working at once."""
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def is_last_lead(membership, *, lock=False):
    """Whether `membership` is its team's only lead: a team always keeps one, so this one cannot step down, leave
    or be removed until another is made lead. With `lock` (inside a transaction) the team's lead rows stay locked
    until it ends, so two leads stepping down at once cannot leave the team without one."""
    leads = Membership.objects.filter(team_id=membership.team_id, role=Membership.Role.LEAD)
    if lock:
        leads = leads.select_for_update()
    return membership.is_lead and not any(lead.pk != membership.pk for lead in leads)


@transaction.atomic
def change_role(*, membership, role):
    """Promote or demote; the last lead cannot be demoted."""
    if role == Membership.Role.MEMBER and is_last_lead(membership, lock=True):
        raise ValidationError(LAST_LEAD)
    membership.role = role
    membership.save(update_fields=["role"])
    changed(membership.team_id)


@transaction.atomic
def remove_membership(*, membership):
    """Remove someone from a team (or leave it); the last lead cannot go. It ends at once: the links made until
    now no longer let them back in, and what they shared with the team (blockers, goals) leaves with them."""
    if is_last_lead(membership, lock=True):
        raise ValidationError(LAST_LEAD)
    person = membership.person
    membership.delete()
    Departure.objects.update_or_create(team=membership.team, person=person, defaults={"left_at": timezone.now()})
    membership_ended.send(sender=Membership, team=membership.team, person=person)
    changed(membership.team_id, *person.memberships.values_list("team_id", flat=True))
    # Their blockers leave with them: nobody is left in the team to unblock.
    Blocker.objects.filter(team=membership.team, raised_by=person, status=Blocker.Status.OPEN).update(
        status=Blocker.Status.WITHDRAWN
    )
    if person.current_team_id == membership.team_id:
        person.current_team = None
        person.save(update_fields=["current_team"])


@transaction.atomic
def move_score_kind(*, kind, offset):
    """Move a kind up (-1) or down (+1) the score sheet, renumbering the team's kinds."""
    kinds = list(ScoreKind.objects.select_for_update().filter(team=kind.team, archived_at=None))
    i = next(i for i, k in enumerate(kinds) if k.pk == kind.pk)
    j = min(max(i + offset, 0), len(kinds) - 1)
    kinds.insert(j, kinds.pop(i))
    for position, k in enumerate(kinds):
        k.position = position
    ScoreKind.objects.bulk_update(kinds, ["position"])
    changed(kind.team_id)


def add_score_kind(*, team, name, emoji, points):
    """Add a kind of win at the end of the team's score sheet."""
    last = team.score_kinds.order_by("-position").values_list("position", flat=True).first()
    changed(team.pk)
    return ScoreKind.objects.create(team=team, name=name, emoji=emoji, points=points, position=(last or 0) + 1)


def archive_score_kind(*, kind):
    """Archived kinds leave the post box; wins keep them, and their points."""
    kind.archived_at = timezone.now()
    kind.save(update_fields=["archived_at"])
    changed(kind.team_id)


def raise_blocker(*, team, person, text, day):
    """Raise what got in the way for the team's leads; only a member of the team can."""
    if not Membership.objects.filter(team=team, person=person).exists():
        raise ValidationError("You can raise a blocker only for a team you are in.")
    changed(team.pk)
    return Blocker.objects.create(team=team, raised_by=person, text=text, day=day)


@transaction.atomic
def clear_blocker(*, blocker, by, note):
    """A lead clears an open blocker with a note; the member sees it next time they plan."""
    blocker = Blocker.objects.select_for_update().get(pk=blocker.pk)
    if blocker.status != Blocker.Status.OPEN:
        raise ValidationError("This blocker is no longer open.")
    blocker.status, blocker.cleared_by, blocker.cleared_at, blocker.clear_note = (
        Blocker.Status.CLEARED,
        by,
        timezone.now(),
        note,
    )
    blocker.save(update_fields=["status", "cleared_by", "cleared_at", "clear_note"])
    changed(blocker.team_id)
    return blocker


def withdraw_blocker(*, blocker):
    """The member who raised it takes it back (it sorted itself out)."""
    if blocker.status != Blocker.Status.OPEN:
        raise ValidationError("This blocker is no longer open.")
    blocker.status = Blocker.Status.WITHDRAWN
    blocker.save(update_fields=["status"])
    changed(blocker.team_id)


def take_cleared_blockers(*, person):
    """Blockers of mine cleared since I last looked, marked as seen."""
    cleared = list(
        Blocker.objects.filter(raised_by=person, status=Blocker.Status.CLEARED, closed_seen_at=None).select_related(
            "cleared_by", "team"
        )
    )
    if cleared:
        Blocker.objects.filter(pk__in=[b.pk for b in cleared]).update(closed_seen_at=timezone.now())
    return cleared


def heir(membership):
    """Who leads the team when `membership`, its last lead, goes for good: its longest-standing other member, or
    None when nobody else is in it."""
    others = membership.team.memberships.exclude(pk=membership.pk).select_related("person")
    return others.order_by("joined_at", "pk").first()


def account_ending(person):
    """What deleting the person's account does to their teams, for the confirmation to say before it happens:
    `handed_over` lists (team, heir membership) where they are the last lead, `deleted` the teams nobody else is
    in (deleted with them, their goals included; wins posted there by people who left stay theirs)."""
    handed_over, deleted = [], []
    for membership in person.memberships.select_related("team").order_by("team__name"):
        if is_last_lead(membership):
            successor = heir(membership)
            if successor:
                handed_over.append((membership.team, successor))
            else:
                deleted.append(membership.team)
    return {"handed_over": handed_over, "deleted": deleted}


@transaction.atomic
def delete_account(*, person, delete_teams=frozenset()):
    """Delete a person and everything of theirs, for good: their wins (private and in teams), goals, plans,
    reviews, comments, applause, memberships, addresses, authenticators and sessions go with the row (every
    foreign key to a person cascades or is cleared). A team whose last lead they are goes to its
    longest-standing other member as lead; a team nobody else is in is deleted, but only if its slug is in
    `delete_teams`, the teams the person ticked: ValidationError, and nothing done, when the teams that would
    go are not exactly those. Invitations mailed to their addresses (verified ones: the others may be someone
    else's) go too, so that no row keeps the address; and what their teams' screens cached, after commit."""
    heirs, doomed, teams = [], [], []
    for membership in person.memberships.select_related("team"):
        teams.append(membership.team_id)
        if is_last_lead(membership, lock=True):
            successor = heir(membership)
            if successor:
                heirs.append(successor)
            else:
                doomed.append(membership.team)
    if {team.slug for team in doomed} != set(delete_teams):
        raise ValidationError(TEAMS_CHANGED)
    for successor in heirs:
        successor.role = Membership.Role.LEAD
        successor.save(update_fields=["role"])
    for team in doomed:
        team_deleting.send(sender=Team, team=team)
        team.delete()
    verified = person.emailaddress_set.filter(verified=True).values_list("email", flat=True)
    for address in {person.email.lower(), *(e.lower() for e in verified)}:
        Invitation.objects.filter(email__iexact=address).delete()
    for session in UserSession.objects.filter(user=person):
        session.end()  # the session itself, in the session store, not only allauth's row about it
    end_unrecorded_sessions(person)
    left = list(Departure.objects.filter(person=person).values_list("team_id", flat=True))  # cached there too
    person.delete()
    changed(*teams)  # their rows leave the teams' figures
    transaction.on_commit(partial(forget, *teams, *left))


def end_unrecorded_sessions(person):
    """End the person's sessions that allauth never recorded (signed in before it did, or by other means), in
    the session store (its cache too, with cached_db). They are found by reading every live session: an account
    is deleted rarely, and nothing else says whose a session is."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    person_id = str(person.pk)
    live = Session.objects.filter(expire_date__gt=timezone.now()).iterator()
    for key in [s.session_key for s in live if str(s.get_decoded().get(SESSION_KEY)) == person_id]:
        store.delete(key)
