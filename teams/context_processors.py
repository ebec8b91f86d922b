from functools import cached_property


class MyTeams:
    """The signed-in person's memberships: one query per request, run only if something asks."""

    def __init__(self, person):
        self.person = person

    @cached_property
    def all(self):
        return list(self.person.memberships.select_related("team").order_by("team__name"))

    @cached_property
    def current(self):
        """The membership of the team last visited, else the first; None for someone in no team."""
        return next((m for m in self.all if m.team_id == self.person.current_team_id), None) or next(
            iter(self.all), None
        )


def my_teams(request):
    """The request's MyTeams, shared by the views and the layout."""
    if not hasattr(request, "_my_teams"):
        request._my_teams = MyTeams(request.user)
    return request._my_teams


def teams(request):
    person = getattr(request, "user", None)
    if not person or not person.is_authenticated:
        return {}
    return {"my_teams": my_teams(request)}
