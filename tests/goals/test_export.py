"""Download all my data (/account/export.zip): a zip of JSON and CSV with everything of mine, and nothing of a
team I left."""

import csv
import io
import json
import zipfile
from decimal import Decimal

from django.db import models

from goals.models import Goal, Intention, Measurement, Review
from teams.export import person_preferences
from teams.services import remove_membership
from wins.services import add_comment, delete_win, toggle_applause

FILES = {"README.txt", "profile.json", "microwins.json"} | {
    f"{name}.csv"
    for name in ["wins", "goals", "measurements", "plans", "reviews", "comments", "applause", "memberships"]
}


def download(client, person):
    client.force_login(person)
    response = client.get("/account/export.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="microwins-2026-06-17.zip"'
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_zip_holds_everything_of_mine(client, make_team, make_person, make_win):
    team = make_team(members=1, name="Run Club")
    me, mate = team.members[0], team.lead
    goal = Goal.objects.create(owner=me, title="5k under 25:00", kind="measure", unit="duration", target=1500)
    Measurement.objects.create(goal=goal, value=Decimal(1620), day=me.local_today(), note="windy")
    make_win(me, team, text="Ran 5k", goal=goal)
    make_win(me, None, text="=SUM(A1) my private win")
    Intention.objects.create(person=me, day=me.local_today(), text="Stretch", position=0)
    Review.objects.create(person=me, day=me.local_today(), learnt="Rest matters", in_the_way="Rain")
    mates_win = make_win(mate, team, text="Mate's win")
    add_comment(win=mates_win, author=me, text="Well done")
    toggle_applause(win=mates_win, person=me)
    make_win(mate, team, text="Not mine")

    archive = download(client, me)
    assert set(archive.namelist()) == FILES
    data = json.loads(archive.read("microwins.json"))
    assert sorted(w["text"] for w in data["wins"]) == ["=SUM(A1) my private win", "Ran 5k"]
    ran = next(w for w in data["wins"] if w["text"] == "Ran 5k")
    assert ran["team"] == "Run Club" and ran["goal"] == "5k under 25:00"
    assert [g["title"] for g in data["goals"]] == ["5k under 25:00"]
    assert data["measurements"] == [
        {"goal": "5k under 25:00", "day": "2026-06-18", "value": "1620.00", "unit": "duration", "note": "windy"}
    ]
    assert [(p["text"], p["position"]) for p in data["plans"]] == [("Stretch", 1)]
    assert [(r["learnt"], r["in_the_way"]) for r in data["reviews"]] == [("Rest matters", "Rain")]
    assert [(c["text"], c["on_win"]) for c in data["comments"]] == [("Well done", "Mate's win")]
    assert [(a["win"], a["by"]) for a in data["applause"]] == [("Mate's win", team.lead.display_name)]
    assert [(m["team"], m["role"]) for m in data["memberships"]] == [("Run Club", "member")]
    assert data["profile"]["email"] == me.email and data["profile"]["time_zone"] == "Europe/London"
    assert json.loads(archive.read("profile.json")) == data["profile"]

    # The CSVs say the same, for a spreadsheet: a cell that would run as a formula is quoted.
    wins = list(csv.DictReader(io.StringIO(archive.read("wins.csv").decode())))
    assert sorted(w["text"] for w in wins) == ["'=SUM(A1) my private win", "Ran 5k"]
    assert archive.read("measurements.csv").decode().splitlines()[0] == "goal,day,value,unit,note"
    assert "Not mine" not in archive.read("microwins.json").decode()


def test_an_empty_account_gets_every_file_with_its_header(client, make_person):
    archive = download(client, make_person())
    assert set(archive.namelist()) == FILES
    assert archive.read("reviews.csv").decode().strip() == "day,learnt,in_the_way,updated_at"
    assert json.loads(archive.read("microwins.json"))["wins"] == []


def test_nothing_of_a_team_i_left(client, make_team, make_win):
    team = make_team(members=1, name="Secret Club")
    me = team.members[0]
    mates_win = make_win(team.lead, team, text="Their secret win")
    make_win(me, team, text="My win there")
    add_comment(win=mates_win, author=me, text="My comment")
    remove_membership(membership=team.memberships.get(person=me))

    text = download(client, me).read("microwins.json").decode()
    assert "Secret Club" not in text and "Their secret win" not in text
    data = json.loads(text)
    assert [(w["text"], w["team"]) for w in data["wins"]] == [("My win there", "a team you left")]
    assert [(c["text"], c["on_win"]) for c in data["comments"]] == [("My comment", "")]


def test_preferences_take_every_mail_field_by_itself(make_person, monkeypatch):
    """The email preferences (fields named mail_…) join the export without a change to person_preferences."""
    person = make_person(display_name="Ana")
    field = models.BooleanField(default=True)
    field.set_attributes_from_name("mail_weekly_digest")
    monkeypatch.setattr(person._meta, "concrete_fields", (*person._meta.concrete_fields, field))
    person.mail_weekly_digest = False
    preferences = person_preferences(person)
    assert preferences["mail_weekly_digest"] is False
    assert preferences["display_name"] == "Ana"
    assert preferences["active_days"] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert preferences["week_start"] == "Monday"
    for real in person._meta.concrete_fields:
        if real.name.startswith("mail_"):
            assert real.name in preferences


def test_nothing_of_a_teammates_deleted_win(client, make_team, make_win):
    team = make_team(members=1, name="Run Club")
    me, mate = team.members[0], team.lead
    gone = make_win(mate, team, text="Posted by mistake")
    add_comment(win=gone, author=me, text="Oops")
    toggle_applause(win=gone, person=me)
    delete_win(win=gone)

    text = download(client, me).read("microwins.json").decode()
    assert "Posted by mistake" not in text
    data = json.loads(text)
    assert [(c["text"], c["on_win"]) for c in data["comments"]] == [("Oops", "")]
    assert [(a["win"], a["by"]) for a in data["applause"]] == [("", "")]
