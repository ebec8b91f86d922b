"""The teams app's part of a person's data export (goals/export.py puts the archive together)."""

import calendar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula


def spreadsheet_safe(text):
    """A CSV cell's text as a spreadsheet shows it and never runs it: one that could be a formula gets a quote."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def person_preferences(person):
    """The person's profile and preferences, as the export's profile.json holds them. Every field whose name
    starts with `mail_` (the email preferences) comes along by itself, so a new one needs no change here."""
    preferences = {
        "email": person.email,
        "display_name": person.display_name,
        "time_zone": person.time_zone,
        "active_days": [calendar.day_name[day] for day in sorted(person.active_weekdays)],
        "week_start": person.get_week_start_display(),
        "current_team": person.current_team.name if person.current_team_id else None,
        "date_joined": person.date_joined,
        "digest_at": person.digest_at,  # the evening digest's time, in each team's own zone
    }
    for field in person._meta.concrete_fields:
        if field.name.startswith("mail_"):
            preferences[field.name] = field.value_from_object(person)
    return preferences


def membership_rows(person):
    """The person's teams, for the export: (columns, rows) of team, role and when they joined."""
    memberships = person.memberships.select_related("team").order_by("joined_at")
    return ["team", "role", "joined_at"], [(m.team.name, m.role, m.joined_at) for m in memberships]
