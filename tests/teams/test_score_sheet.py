from teams.models import ScoreKind
from teams.score_sheets import TEMPLATES


def names(team):
    return list(team.score_kinds.filter(archived_at=None).values_list("name", flat=True))


def test_five_templates_and_seed_000s_list_in_full():
    assert [name for name, _ in TEMPLATES.values()] == [
        "Personal brand",
        "Sales activity",
        "Job search",
        "Delivery team",
        "Fitness",
    ]
    kinds = [kind for _, kind, _ in TEMPLATES["personal-brand"][1]]
    assert kinds == [
        "Reader email",
        "Newsletter sign-up",
        "Inbound lead",
        "Speaking invite",
        "Guest blog",
        "Podcast guest",
        "Introduction",
        "Share of my work",
    ]


def test_lead_adds_renames_repoints_reorders_and_archives(client, make_team):
    team = make_team(score_sheet="fitness")
    client.force_login(team.lead)
    base = f"/t/{team.slug}/kinds/"
    response = client.post(base, {"new-emoji": "🚴", "new-name": "Bike ride", "new-points": 3}, HTTP_HX_REQUEST="true")
    assert "Bike ride" in response.content.decode()
    assert names(team)[-1] == "Bike ride"

    run = team.score_kinds.get(name="Run done")
    client.post(f"{base}{run.pk}/", {"emoji": "🏃", "name": "Run", "points": 4})
    run.refresh_from_db()
    assert (run.name, run.points) == ("Run", 4)

    bike = team.score_kinds.get(name="Bike ride")
    client.post(f"{base}{bike.pk}/move/", {"direction": "up"})
    assert names(team)[-2:] == ["Bike ride", "Race finished"]

    client.post(f"{base}{run.pk}/archive/")
    assert "Run" not in names(team)
    assert ScoreKind.objects.get(pk=run.pk).archived_at is not None


def test_bad_points_are_refused_next_to_the_field(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    response = client.post(
        f"/t/{team.slug}/kinds/", {"new-emoji": "⭐", "new-name": "Big one", "new-points": 500}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Keep points between 0 and 100." in html and 'value="Big one"' in html
    assert "Big one" not in names(team)


def test_archived_kinds_leave_the_post_box(client, make_team):
    team = make_team(score_sheet="fitness")
    kind = team.score_kinds.get(name="Mobility")
    client.force_login(team.lead)
    client.post(f"/t/{team.slug}/kinds/{kind.pk}/archive/")
    assert "Mobility" not in client.get("/today/").content.decode()


def test_one_kind_form_at_a_time_page_and_in_place(client, make_team):
    team = make_team(score_sheet="fitness")
    kinds = list(team.score_kinds.filter(archived_at=None))
    client.force_login(team.lead)
    url = f"/t/{team.slug}/settings/"
    html = client.get(url).content.decode()
    assert not any(f'id="kind-{k.pk}-name"' in html for k in kinds)  # no open form
    assert all(f"?edit={k.pk}" in html for k in kinds)  # a row per kind, each with its Edit link
    html = client.get(f"{url}?edit={kinds[1].pk}").content.decode()  # without JavaScript
    assert [k.pk for k in kinds if f'id="kind-{k.pk}-name"' in html] == [kinds[1].pk]
    fragment = client.get(f"{url}?edit={kinds[2].pk}", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="score-sheet")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<section class="card" id="score-sheet"') and "<html" not in html
    assert [k.pk for k in kinds if f'id="kind-{k.pk}-name"' in html] == [kinds[2].pk]


def test_a_refused_edit_keeps_that_one_form_open(client, make_team):
    team = make_team(score_sheet="fitness")
    first, second = list(team.score_kinds.filter(archived_at=None))[:2]
    client.force_login(team.lead)
    response = client.post(f"/t/{team.slug}/kinds/{second.pk}/", {"emoji": "⭐", "name": "Sprint", "points": 500})
    html = response.content.decode()
    assert "Keep points between 0 and 100." in html and 'value="Sprint"' in html
    assert f'id="kind-{second.pk}-name"' in html and f'id="kind-{first.pk}-name"' not in html
