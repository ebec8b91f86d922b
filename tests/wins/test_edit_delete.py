from datetime import timedelta

from django.utils import timezone

from wins.models import Win


def test_edit_my_win(client, make_team, make_win):
    team = make_team()
    win = make_win(team.lead, team, text="Typo hre")
    client.force_login(team.lead)
    assert client.get(f"/wins/{win.code}/edit/").status_code == 200
    kind = team.score_kinds.get(name="Inbound lead")
    response = client.post(
        f"/wins/{win.code}/edit/",
        {"text": "Typo here", "kind": kind.pk, "day": win.day.isoformat(), "visibility": "team"},
    )
    assert response.status_code == 302
    win.refresh_from_db()
    assert (win.text, win.kind, win.points) == ("Typo here", kind, kind.points)
    assert win.edited_at is not None


def test_editing_the_score_sheet_never_rewrites_posted_points(make_team, make_win):
    team = make_team()
    kind = team.score_kinds.get(name="Speaking invite")
    win = make_win(team.lead, team, kind=kind)
    kind.points = 20
    kind.save()
    win.refresh_from_db()
    assert win.points == 8


def test_someone_elses_win_is_404(client, make_team, make_win):
    team = make_team(members=1)
    win = make_win(team.members[0], team)
    client.force_login(team.lead)
    assert client.get(f"/wins/{win.code}/edit/").status_code == 404
    assert client.post(f"/wins/{win.code}/delete/").status_code == 404


def test_delete_then_undo(client, make_team, make_win):
    team = make_team()
    win = make_win(team.lead, team, text="Oops")
    client.force_login(team.lead)
    response = client.post(f"/wins/{win.code}/delete/", headers={"HX-Request": "true"})
    assert "Undo" in response.content.decode()
    assert not Win.objects.alive().exists()
    assert "Oops" not in client.get(f"/t/{team.slug}/").content.decode()
    response = client.post(f"/wins/{win.code}/restore/", headers={"HX-Request": "true"})
    assert "Oops" in response.content.decode()
    assert Win.objects.alive().count() == 1


def test_undo_has_a_time_limit(client, make_team, make_win):
    team = make_team()
    win = make_win(team.lead, team)
    Win.objects.filter(pk=win.pk).update(deleted_at=timezone.now() - timedelta(hours=1))
    client.force_login(team.lead)
    response = client.post(f"/wins/{win.code}/restore/", follow=True)
    assert "Too late to undo" in response.content.decode()
    assert not Win.objects.alive().exists()


def test_deleted_wins_leave_the_streak(client, make_team, make_win):
    team = make_team()
    lead = team.lead
    yesterday = make_win(lead, team, day=lead.local_today() - timedelta(days=1))
    make_win(lead, team)
    client.force_login(lead)
    assert client.get("/today/").context["stats"]["streak"] == 2
    client.post(f"/wins/{yesterday.code}/delete/")
    assert client.get("/today/").context["stats"]["streak"] == 1
