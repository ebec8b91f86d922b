"""Access to a team goes through the person's membership: outsiders get 404, members 403 on lead-only actions."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from .context_processors import my_teams


def next_url(request, default):
    """Where a form asked to go back to (`next`), if it is a path on this site; else `default`."""
    target = request.POST.get("next") or request.GET.get("next")
    on_this_site = target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    if on_this_site and target.startswith("/"):  # "abc" is no path: redirect() would take it for a view's name
        return target
    return default


def membership_for(request, team_slug):
    """The person's membership of the team, or 404: a team's existence never leaks to outsiders.

    It comes from the memberships the layout lists anyway (one query for both).
    """
    if not request.user.is_authenticated:
        raise PermissionDenied
    membership = next((m for m in my_teams(request).all if m.team.slug == team_slug), None)
    if membership is None:
        raise Http404("No such team.")
    membership.person = request.user
    return membership


def team_view(view=None, *, lead_only=False):
    """Pass the person's membership of the URL's team; 404 for anyone outside it, 403 for members on lead-only views.

    Visiting a team makes it the person's current team, so the layout remembers where they were.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, team_slug, **kwargs):
            membership = membership_for(request, team_slug)
            if lead_only and not membership.is_lead:
                raise PermissionDenied("Only the team's leads can do this.")
            person = request.user
            if person.current_team_id != membership.team_id:
                person.current_team = membership.team
                person.save(update_fields=["current_team"])
            return view(request, membership, **kwargs)

        return wrapper

    return decorate(view) if view else decorate
