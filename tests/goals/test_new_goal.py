"""The new-goal form shows only the chosen kind's fields: redrawn in place with htmx, by a plain GET without."""

import re

import pytest

from goals.models import Goal

KIND_INPUTS = ["target_text", "period", "unit", "direction", "baseline_text"]


def inputs(html):
    return {name for name in KIND_INPUTS if f'name="{name}"' in html}


@pytest.mark.parametrize(
    "kind, shown",
    [
        ("milestone", set()),
        ("count", {"target_text"}),
        ("activity", {"target_text", "period"}),
        ("measure", {"target_text", "unit", "direction", "baseline_text"}),
    ],
)
def test_only_the_chosen_kinds_fields_are_shown(client, make_person, kind, shown):
    client.force_login(make_person())
    html = client.get(f"/goals/new/?kind={kind}").content.decode()
    form = html[html.index('action="/goals/new/"') :]
    assert inputs(form) == shown
    assert "---------" not in form and "Select an option" not in form


def test_start_from_an_example_without_naming_where_they_come_from(client, make_person):
    client.force_login(make_person())
    html = client.get("/goals/new/").content.decode()
    assert "Start from an example" in html and "seed" not in html.lower()


def test_another_kind_swaps_in_its_fields_and_keeps_what_was_typed(client, make_person):
    client.force_login(make_person())
    html = client.get(
        "/goals/new/?part=kind-fields&kind=activity&target_text=5&title=Ask", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert html.lstrip().startswith('<div id="goal-kind-fields">') and "<form" not in html
    assert inputs(html) == {"target_text", "period"}
    assert 'value="5"' in html and re.search(r'<option value="week"[^>]*selected', html)
    assert "Wins per period" in html


def test_the_kind_choice_works_without_javascript(client, make_person):
    client.force_login(make_person())
    html = client.get("/goals/new/").content.decode()
    assert re.search(r"<noscript><button[^>]*formmethod=\"get\"[^>]*formaction=\"/goals/new/\"", html)
    assert 'hx-get="/goals/new/?part=kind-fields"' in html
    html = client.get("/goals/new/?kind=measure&title=Faster+5k&target_text=25%3A00&unit=duration").content.decode()
    assert 'value="Faster 5k"' in html and 'value="25:00"' in html
    assert re.search(r'<option value="duration"[^>]*selected', html)


def test_a_measure_goal_missing_its_target_keeps_its_fields_and_says_so(client, make_person):
    client.force_login(make_person())
    response = client.post("/goals/new/", {"title": "Faster 5k", "kind": "measure", "unit": "duration"})
    html = response.content.decode()
    assert response.status_code == 200 and inputs(html) >= {"target_text", "unit", "direction", "baseline_text"}
    assert 'class="errorlist' in html and not Goal.objects.exists()


def test_fields_of_another_kind_are_not_saved(client, make_person):
    client.force_login(make_person())
    data = {"title": "Ten intros", "kind": "count", "target_text": "10", "period": "day", "unit": "km"}
    data |= {"direction": "down", "baseline_text": "3"}
    client.post("/goals/new/", data)
    goal = Goal.objects.get()
    assert (goal.kind, goal.target, goal.period, goal.unit, goal.direction, goal.baseline) == (
        "count",
        10,
        "",
        "",
        "up",
        None,
    )
