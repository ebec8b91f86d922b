"""The post box's goal picker: micro goals sit under their macro goal, in one query however many there are."""

import re

import pytest

from goals.models import Goal
from goals.services import start_from


def picker(html):
    return re.search(r'<select name="goal".*?</select>', html, re.S).group(0)


def test_micro_goals_are_grouped_under_their_macro_goal(client, make_team):
    team = make_team()
    person = team.lead
    start_from(starter="runner", owner=person, today=person.local_today())
    macro = Goal.objects.get(parent=None)
    micro = sorted(Goal.objects.filter(parent=macro).values_list("title", flat=True), key=str.lower)
    lone = Goal.objects.create(owner=person, title="Read a book a week", kind="count", target=10)
    client.force_login(person)
    select = picker(client.get("/today/").content.decode())
    group = re.search(rf'<optgroup label="{re.escape(macro.title)}">(.*?)</optgroup>', select, re.S)
    assert group, select
    titles = re.findall(r"<option [^>]*>([^<]*)</option>", group.group(1))
    assert titles == [macro.title, *micro]  # the macro goal can be picked too, first in its group
    assert select.index("</optgroup>") < select.index(lone.title)  # in no group, in title order
    assert select.index("No goal") < select.index(lone.title)


def test_a_micro_goal_whose_macro_goal_is_done_keeps_its_group(client, make_team):
    person = make_team().lead
    start_from(starter="runner", owner=person, today=person.local_today())
    macro = Goal.objects.get(parent=None)
    Goal.objects.filter(pk=macro.pk).update(status="achieved")
    client.force_login(person)
    select = picker(client.get("/today/").content.decode())
    group = re.search(rf'<optgroup label="{re.escape(macro.title)}">(.*?)</optgroup>', select, re.S).group(1)
    assert macro.title not in group and group.count("<option") == 3


@pytest.mark.parametrize("macros", [1, 6])
def test_the_grouped_picker_keeps_today_flat(client, make_team, macros, django_assert_max_num_queries):
    person = make_team().lead
    for _ in range(macros):
        start_from(starter="runner", owner=person, today=person.local_today())
    client.force_login(person)
    with django_assert_max_num_queries(10):
        html = client.get("/today/").content.decode()
    assert picker(html).count("<optgroup") == macros
