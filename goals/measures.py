"""Values of measure goals: parsed from what people type, shown the way they typed them.

Durations are stored as seconds and entered and shown as `m:ss` or `h:mm:ss` (a pace of
8:00 per mile is `8:00`); other units are plain non-negative numbers.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

DURATION = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


def parse_value(text, unit):
    """The stored value of what was typed, or ValidationError with words a person can act on."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter a value.")
    if unit == "duration":
        return Decimal(parse_duration(text))
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValidationError(f"“{text}” is not a number: type digits, like 42 or 3.5.") from None
    if not value.is_finite() or value < 0:
        raise ValidationError("Enter a number of zero or more.")
    if value >= Decimal("1e10"):
        raise ValidationError("That number is too large.")
    return value.quantize(Decimal("0.01"))


def parse_duration(text):
    """Seconds in `m:ss` or `h:mm:ss` (also plain seconds); minutes and seconds stay under 60."""
    if text.isdigit():
        return int(text)
    match = DURATION.match(text)
    if not match:
        raise ValidationError(f"“{text}” is not a time: type minutes and seconds, like 8:00, or 1:05:30.")
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    if seconds >= 60 or (match.group(1) is not None and minutes >= 60):
        raise ValidationError(f"“{text}” is not a time: seconds and minutes go up to 59.")
    return hours * 3600 + minutes * 60 + seconds


def format_value(value, unit):
    """How a stored value reads: 480 seconds as 8:00, 6.2 km as 6.2 km, 1200 as 1,200."""
    if value is None:
        return "—"
    if unit == "duration":
        seconds = int(value)
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    number = f"{value:,.2f}".rstrip("0").rstrip(".")
    suffix = {"km": " km", "mi": " mi", "kg": " kg", "lb": " lb"}.get(unit, "")
    return f"{number}{suffix}"
