from django.shortcuts import render

from teams.access import team_view


def today(request):
    return render(request, "wins/today.html", {"today": request.user.local_today()})


@team_view
def feed(request, membership):
    team = membership.team
    members = team.memberships.select_related("person").order_by("person__display_name")
    return render(request, "wins/feed.html", {"membership": membership, "team": team, "members": members})
