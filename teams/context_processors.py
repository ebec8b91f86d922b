from functools import cached_property


class MyTeams:
    """The signed-in person's memberships for the layout: one query, run only if a page shows them."""

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


def teams(request):
    person = getattr(request, "user", None)
    if not person or not person.is_authenticated:
        return {}
    return {"my_teams": MyTeams(person)}
