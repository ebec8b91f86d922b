import secrets
from collections import Counter
from datetime import timedelta

from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import retarget, trigger_client_event

from . import mail, services, versions
from .access import next_url, team_view
from .forms import DeleteAccountForm, InvitationForm, MailForm, NewTeamForm, ProfileForm, ScoreKindForm, TeamForm
from .models import Invitation, MailKind, Membership, Person
from .queries import open_blockers
from .signals import profile_changed


def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if "active_weekdays" in form.changed_data:
            profile_changed.send(sender=Person, person=request.user)
        versions.changed(*request.user.memberships.values_list("team_id", flat=True))  # their rows there
        messages.success(request, "Profile saved.")
        return redirect("teams:account")
    return render(request, "teams/account.html", account_context(request, form))


def account_context(request, form, mail_form=None):
    """The account page: the profile and mail forms, two factors, the sessions signed in, and the data."""
    person = request.user
    factors = Counter(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    recorded = list(UserSession.objects.filter(user=person))
    # One read for all of them, and no writes on a GET (allauth's purge_and_list reads each and deletes the dead).
    alive = set(
        Session.objects.filter(
            session_key__in=[s.session_key for s in recorded], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    sessions = sorted(
        (s for s in recorded if s.session_key in alive),
        key=lambda s: (s.session_key != request.session.session_key, -s.created_at.timestamp()),
    )
    for session in sessions:
        session.device = device(session.user_agent)
        session.current = session.session_key == request.session.session_key
    return {
        "form": form,
        "mail_form": mail_form or MailForm(instance=person),
        "has_app": factors[Authenticator.Type.TOTP] > 0,
        "passkeys": factors[Authenticator.Type.WEBAUTHN],
        "has_recovery_codes": factors[Authenticator.Type.RECOVERY_CODES] > 0,
        "sessions": sessions,
        "others": sum(not s.current for s in sessions),
        "social": bool(settings.SOCIALACCOUNT_PROVIDERS),
    }


def device(user_agent):
    """A session's browser and system in a few words ("Firefox on Android"), from its user agent."""
    browsers = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari")]
    systems = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows")]
    systems += [("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]
    browser = next((name for mark, name in browsers if mark in user_agent), "A browser")
    system = next((name for mark, name in systems if mark in user_agent), None)
    return f"{browser} on {system}" if system else browser


def other_sessions(request):
    """The person's sessions other than this one: a session is only ever found through its person."""
    return UserSession.objects.filter(user=request.user).exclude(session_key=request.session.session_key)


@require_POST
def end_session(request, session_id):
    session = get_object_or_404(other_sessions(request), pk=session_id)
    session.end()
    messages.success(request, f"Signed out {device(session.user_agent)}.")
    return redirect(reverse("teams:account") + "#sessions")


@require_POST
def end_other_sessions(request):
    for session in other_sessions(request):
        session.end()
    messages.success(request, "Signed out everywhere else.")
    return redirect(reverse("teams:account") + "#sessions")


DELETION_CODE = "account_deletion_code"  # in the session: the mailed code's hash, until when it works, and misses
DELETION_CODE_MINUTES = 15
DELETION_CODE_TRIES = 5  # wrong codes before the mailed one stops working: a million codes are few to guess


def mail_deletion_code(request):
    """Mail a code that confirms deleting the account, for a person without a password; it works for
    DELETION_CODE_MINUTES, in this session only. False when the mail server could not take it."""
    code = f"{secrets.randbelow(10**6):06d}"
    until = timezone.now() + timedelta(minutes=DELETION_CODE_MINUTES)
    body = (
        f"Your code to delete your Microwins account: {code}\n\nIt works for {DELETION_CODE_MINUTES} minutes. "
        "If you did not ask for it, someone signed in as you is trying: sign in and change your password."
    )
    try:
        send_mail("Your code to delete your account", body, None, [request.user.email])
    except OSError:  # smtplib's errors are OSErrors too: a server down, refusing, or timing out
        return False
    request.session[DELETION_CODE] = {
        "hash": salted_hmac(DELETION_CODE, code, algorithm="sha256").hexdigest(),
        "until": until.timestamp(),
        "misses": 0,
    }
    return True


def mailed_code_check(request):
    """A check of a typed code against the one mailed in this session (None when none was mailed); the
    DELETION_CODE_TRIES-th wrong code drops the mailed one, so that the person asks for a new one."""
    mailed = request.session.get(DELETION_CODE)
    if not mailed or mailed["until"] < timezone.now().timestamp():
        return None

    def check(code):
        if constant_time_compare(salted_hmac(DELETION_CODE, code, algorithm="sha256").hexdigest(), mailed["hash"]):
            return True
        misses = mailed.get("misses", 0) + 1
        if misses >= DELETION_CODE_TRIES:
            del request.session[DELETION_CODE]
        else:
            request.session[DELETION_CODE] = mailed | {"misses": misses}
        return False

    return check


@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Delete the account, once confirmed (teams/services.delete_account says what goes)."""
    person = request.user
    ending = services.account_ending(person)
    if request.method == "POST" and "send_code" in request.POST and not person.has_usable_password():
        if not ratelimit.consume(request, action="delete_account_code", user=person):
            messages.error(request, "That makes three codes in an hour, the most we mail: use the last one.")
        elif mail_deletion_code(request):
            messages.success(request, f"We mailed a code to {person.email}. It works for 15 minutes.")
        else:
            messages.error(request, "We could not send the mail just now: try again in a few minutes.")
        return redirect("teams:delete_account")
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None,
        person=person,
        mailed_code=mailed_code_check(request),
        teams_deleted=ending["deleted"],
    )
    if request.method == "POST":
        if not ratelimit.consume(request, action="reauthenticate", user=person):
            form.add_error(None, "Too many tries in a minute: wait a moment, then try again.")
        elif form.is_valid():
            try:
                services.delete_account(person=person, delete_teams=form.cleaned_data.get("delete_teams", set()))
            except ValidationError as error:  # a team emptied since the form was read: the page says it again
                messages.error(request, error.message)
                return redirect("teams:delete_account")
            logout(request)
            messages.success(request, "Your account is deleted, with everything in it. Thank you for the wins.")
            return redirect("landing")
    context = ending | {"form": form, "code_mailed": DELETION_CODE in request.session}
    return render(request, "teams/delete_account.html", context)


@require_POST
def mail_settings(request):
    form = MailForm(request.POST, instance=request.user)
    if form.is_valid():
        form.save()
        messages.success(request, "Mail settings saved.")
        return redirect(reverse("teams:account") + "#mail")
    return render(request, "teams/account.html", account_context(request, ProfileForm(instance=request.user), form))


@login_not_required
@csrf_exempt  # a mail client's one-click POST (RFC 8058) carries no CSRF token: the signed link is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """A mail's unsubscribe link: the page asks for one press (a mail scanner opening the link changes nothing);
    the press, or the mail client's own one-click POST, turns that kind of mail off."""
    found = mail.read_unsubscribe(token)
    if found is None:
        raise Http404("This unsubscribe link is not one of ours.")
    person, kind = found
    field = f"mail_{kind}"
    if request.method == "POST" and getattr(person, field):
        setattr(person, field, False)
        person.save(update_fields=[field])
    context = {"kind": MailKind(kind), "done": request.method == "POST", "email": person.email}
    return render(request, "teams/unsubscribe.html", context)


def new_team(request):
    form = NewTeamForm(request.POST or None, initial={"time_zone": request.user.time_zone})
    if request.method == "POST" and form.is_valid():
        team = services.create_team(lead=request.user, **form.cleaned_data)
        messages.success(request, f"{team.name} is ready. Invite your teammates below.")
        return redirect("teams:settings", team.slug)
    return render(request, "teams/new.html", {"form": form})


def settings_context(membership, **forms):
    team = membership.team
    return {
        "membership": membership,
        "team": team,
        "form": forms.get("form") or TeamForm(instance=team),
        "invitation_form": forms.get("invitation_form") or InvitationForm(initial={"days": services.INVITATION_DAYS}),
        "members": team.memberships.select_related("person").order_by("person__display_name"),
        "invitations": team.invitations.open().select_related("created_by"),
        # One kind's form at a time: the one being edited (?edit=<id>), or the one whose save was refused.
        "score_kinds": [
            (
                kind,
                forms.get("kind_form") or ScoreKindForm(instance=kind)
                if forms.get("kind_form_for") == kind.pk
                else None,
            )
            for kind in team.score_kinds.filter(archived_at=None)
        ],
        "new_kind_form": forms.get("new_kind_form") or ScoreKindForm(prefix="new"),
    }


@team_view(lead_only=True)
def team_settings(request, membership):
    form = TeamForm(request.POST or None, instance=membership.team)
    if request.method == "POST" and form.is_valid():
        form.save()
        versions.changed(membership.team_id)
        messages.success(request, "Team details saved.")
        return redirect("teams:settings", membership.team.slug)
    editing = request.GET.get("edit", "")
    context = settings_context(membership, form=form, kind_form_for=int(editing) if editing.isdigit() else None)
    if request.htmx and request.htmx.target == "score-sheet":  # Edit and Cancel swap the score sheet in place
        return render(request, "teams/settings.html#score-sheet", context)
    return render(request, "teams/settings.html", context)


@require_POST
@team_view(lead_only=True)
def create_invitation(request, membership):
    form = InvitationForm(request.POST)
    invitation = None
    if form.is_valid():
        try:
            invitation = services.create_invitation(
                team=membership.team,
                created_by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error("email", error)
    if invitation is None:
        context = settings_context(membership, invitation_form=form)
        return render(request, "teams/settings.html#invitations" if request.htmx else "teams/settings.html", context)
    if request.htmx:
        context = settings_context(membership) | {"new_invitation": invitation}
        return render(request, "teams/settings.html#invitations", context)
    if invitation.email:
        messages.success(request, f"Invitation made: we are mailing the link to {invitation.email}.")
    return redirect(reverse("teams:settings", args=[membership.team.slug]) + "#invitations")


@require_POST
@team_view(lead_only=True)
def revoke_invitation(request, membership, invitation_id):
    invitation = get_object_or_404(membership.team.invitations, pk=invitation_id)
    services.revoke_invitation(invitation=invitation)
    if request.htmx:
        return render(request, "teams/settings.html#invitations", settings_context(membership))
    messages.success(request, "Invitation withdrawn: its link no longer works.")
    return redirect(reverse("teams:settings", args=[membership.team.slug]) + "#invitations")


def _member_of(membership, member_code):
    return get_object_or_404(membership.team.memberships.select_related("person", "team"), code=member_code)


@require_POST
@team_view(lead_only=True)
def change_role(request, membership, member_code):
    other = _member_of(membership, member_code)
    role = request.POST.get("role")
    try:
        if role not in Membership.Role.values:
            raise ValidationError("Choose lead or member.")
        services.change_role(membership=other, role=role)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{other.person} is now a {other.get_role_display().lower()}.")
        if other.pk == membership.pk and not other.is_lead:  # stepped down: settings are no longer theirs
            return redirect("wins:feed", membership.team.slug)
    return redirect(reverse("teams:settings", args=[membership.team.slug]) + "#members")


def ending_context(request, membership, other, back):
    """What the confirmation of leaving (or removing someone) shows, and whether the service would refuse."""
    return {
        "team": membership.team,
        "other": other,
        "is_self": other.pk == membership.pk,
        "is_last_lead": services.is_last_lead(other),
        "back": next_url(request, back),
    }


@require_GET
@team_view(lead_only=True)
def confirm_remove(request, membership, member_code):
    """Removing someone is asked once more, on a page of its own: the button there does it."""
    other = _member_of(membership, member_code)
    back = reverse("teams:settings", args=[membership.team.slug]) + "#members"
    return render(request, "teams/leave.html", ending_context(request, membership, other, back))


@require_GET
@team_view
def confirm_leave(request, membership):
    """Leaving is asked once more, on a page of its own: the button there does it."""
    back = reverse("teams:account") + "#teams"
    return render(request, "teams/leave.html", ending_context(request, membership, membership, back))


@require_POST
@team_view(lead_only=True)
def remove_member(request, membership, member_code):
    other = _member_of(membership, member_code)
    try:
        services.remove_membership(membership=other)
    except ValidationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{other.person} is no longer in {membership.team.name}.")
        if other.pk == membership.pk:
            return redirect("wins:today")
    return redirect(reverse("teams:settings", args=[membership.team.slug]) + "#members")


@require_POST
@team_view
def leave_team(request, membership):
    try:
        services.remove_membership(membership=membership)
    except ValidationError as error:
        messages.error(request, error.message)
        return redirect("wins:feed", membership.team.slug)
    messages.success(request, f"You left {membership.team.name}.")
    return redirect("wins:today")


@login_not_required
def join(request, token):
    """Accept an invitation, by the signed-in person's own press of the button; a visitor signs up or in first
    and comes back here. A link that no longer works names neither the team nor who sent it."""
    invitation = get_object_or_404(Invitation.objects.select_related("team", "created_by"), token=token)
    person = request.user if request.user.is_authenticated else None
    if person and Membership.objects.filter(team=invitation.team, person=person).exists():
        return redirect("wins:feed", invitation.team.slug)
    problem = services.invitation_problem(invitation, person)
    if request.method == "POST" and person and not problem:
        try:
            services.accept_invitation(invitation_token=token, person=person)
        except ValidationError as error:
            problem = error.message
        else:
            messages.success(request, f"Welcome to {invitation.team.name}!")
            return redirect("wins:feed", invitation.team.slug)
    status = 410 if problem else 200
    return render(request, "teams/join.html", {"invitation": invitation, "problem": problem}, status=status)


def score_sheet_response(request, membership, **forms):
    """The score sheet section in place for htmx; the settings page at the score sheet otherwise."""
    if request.htmx:
        return render(request, "teams/settings.html#score-sheet", settings_context(membership, **forms))
    if forms:
        return render(request, "teams/settings.html", settings_context(membership, **forms))
    return redirect(reverse("teams:settings", args=[membership.team.slug]) + "#score-sheet")


@require_POST
@team_view(lead_only=True)
def add_score_kind(request, membership):
    form = ScoreKindForm(request.POST, prefix="new")
    if not form.is_valid():
        return score_sheet_response(request, membership, new_kind_form=form)
    services.add_score_kind(team=membership.team, **form.cleaned_data)
    return score_sheet_response(request, membership)


def _kind_of(membership, kind_id):
    return get_object_or_404(membership.team.score_kinds.filter(archived_at=None), pk=kind_id)


@require_POST
@team_view(lead_only=True)
def edit_score_kind(request, membership, kind_id):
    kind = _kind_of(membership, kind_id)
    form = ScoreKindForm(request.POST, instance=kind)
    if not form.is_valid():
        return score_sheet_response(request, membership, kind_form=form, kind_form_for=kind.pk)
    form.save()
    versions.changed(membership.team_id)
    return score_sheet_response(request, membership)


@require_POST
@team_view(lead_only=True)
def move_score_kind(request, membership, kind_id):
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.move_score_kind(kind=_kind_of(membership, kind_id), offset=offset)
    return score_sheet_response(request, membership)


@require_POST
@team_view(lead_only=True)
def archive_score_kind(request, membership, kind_id):
    services.archive_score_kind(kind=_kind_of(membership, kind_id))
    return score_sheet_response(request, membership)


@require_POST
@team_view(lead_only=True)
def clear_blocker(request, membership, blocker_id):
    """Clear an open blocker with a note. With htmx the blocker's own item answers (what is typed under the others
    stays) with the panel's count, or the whole panel once none is open; the dashboard's figures hear
    `blockers-changed` and refresh."""
    blockers = membership.team.blockers.select_related("raised_by", "cleared_by")
    blocker = get_object_or_404(blockers if request.htmx else blockers.open(), pk=blocker_id)
    note = request.POST.get("note", "").replace("\x00", "").strip()[:500]  # as docs/limits.md says: cut, no NUL
    try:
        services.clear_blocker(blocker=blocker, by=request.user, note=note)
        cleared_now = True
    except ValidationError:  # another lead cleared it, or its member withdrew it, a moment ago
        if not request.htmx:
            raise Http404("This blocker is no longer open.") from None
        blocker, cleared_now = blockers.get(pk=blocker.pk), False
    if request.htmx:
        blockers = open_blockers(membership)
        context = {"cleared_blocker": blocker, "cleared_now": cleared_now, "blockers": blockers}
        if blockers:
            response = render(request, "teams/_blockers.html#cleared", context)
        else:  # that was the last: the whole panel says nothing is in the way (no other note to keep)
            response = retarget(render(request, "teams/_blockers.html", context), "#blockers")
        return trigger_client_event(response, "blockers-changed")
    messages.success(request, f"Cleared: {blocker.text[:60]}. {blocker.raised_by} will see it.")
    return redirect(next_url(request, reverse("wins:feed", args=[membership.team.slug])))


@require_POST
@team_view
def withdraw_blocker(request, membership, blocker_id):
    blocker = get_object_or_404(membership.team.blockers.open(), pk=blocker_id, raised_by=request.user)
    services.withdraw_blocker(blocker=blocker)
    messages.success(request, "Blocker withdrawn.")
    return redirect("goals:review")
