"""Writes for the daily plan and the evening review (seed 002: three things each morning, a review each evening)."""

import uuid
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from teams.models import Person
from teams.services import raise_blocker
from wins import limits
from wins.forms import BACKDATE_DAYS
from wins.services import record_win

from .models import Intention, Review

MAX_INTENTIONS = 3
INTENTION_WINS = uuid.UUID("0b8c2f8e-2f0f-4b5e-9d6a-3b7e2c1d4a90")  # namespace: one win per intention


def _lock_day(person):
    """Serialise plan changes of one person, so that a double tap cannot make a fourth intention."""
    Person.objects.select_for_update().filter(pk=person.pk).first()


@transaction.atomic
def add_intention(*, person, day, text, kind=None):
    _lock_day(person)
    taken = list(Intention.objects.filter(person=person, day=day).values_list("position", flat=True))
    if len(taken) >= MAX_INTENTIONS:
        raise ValidationError("Three is the most: finish or remove one first.")
    return Intention.objects.create(person=person, day=day, text=text, kind=kind, position=len(taken))


def edit_intention(*, intention, text):
    intention.text = text
    intention.save(update_fields=["text"])


@transaction.atomic
def remove_intention(*, intention):
    _lock_day(intention.person)
    intention.delete()
    Intention.objects.filter(person=intention.person, day=intention.day, position__gt=intention.position).update(
        position=F("position") - 1
    )


@transaction.atomic
def move_intention(*, intention, offset):
    """Swap with the neighbour above (-1) or below (+1)."""
    _lock_day(intention.person)
    neighbour = Intention.objects.filter(
        person=intention.person, day=intention.day, position=intention.position + offset
    ).first()
    if neighbour:
        neighbour.position, intention.position = intention.position, neighbour.position
        Intention.objects.bulk_update([neighbour, intention], ["position"])


def toggle_intention(*, intention):
    intention.done_at = None if intention.done_at else timezone.now()
    intention.save(update_fields=["done_at"])


@transaction.atomic
def post_intention_as_win(*, intention, team):
    """Post a checked intention as a win, once: a second tap returns the same win."""
    today = intention.person.local_today()
    if not today - timedelta(days=BACKDATE_DAYS) <= intention.day <= today:
        raise ValidationError("Only today's intentions (or this week's) can become wins.")
    try:
        win, _ = record_win(
            author=intention.person,
            team=team,
            kind=intention.kind if intention.kind and team and intention.kind.team_id == team.pk else None,
            text=intention.text,
            day=intention.day,
            client_key=uuid.uuid5(INTENTION_WINS, intention.code),
        )
    except limits.TooMany as too_many:
        raise ValidationError(too_many.message) from None
    intention.win = win
    if not intention.done_at:
        intention.done_at = timezone.now()
    intention.save(update_fields=["win", "done_at"])
    return win


@transaction.atomic
def save_review(*, person, day, learnt, in_the_way, blocker_team=None, carry=(), tomorrow=()):
    """Save the day's review; raise a blocker if asked; plan tomorrow: carried intentions first, then new ones."""
    review, _ = Review.objects.update_or_create(
        person=person,
        day=day,
        defaults={"learnt": learnt, "in_the_way": in_the_way, "updated_at": timezone.now()},
        create_defaults={"learnt": learnt, "in_the_way": in_the_way},
    )
    blocker = None
    if blocker_team:
        blocker = raise_blocker(team=blocker_team, person=person, text=in_the_way, day=day)
    next_day = day + timedelta(days=1)
    for intention in carry:
        add_intention(person=person, day=next_day, text=intention.text, kind=intention.kind)
    for text in tomorrow:
        add_intention(person=person, day=next_day, text=text)
    return review, blocker
