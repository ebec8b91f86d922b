"""Starting points from the seeds, offered when creating a goal: a macro goal with its micro goals, or one goal."""

from datetime import timedelta
from decimal import Decimal

STARTERS = {
    "runner": {
        "label": "Runner: 10k at a sub-8:00 pace",
        "source": "Seed 004: a macro goal backed by three micro goals.",
        "goal": {
            "title": "10k at a sub-8:00 pace",
            "why": "Finish the April 10k faster than last year.",
            "kind": "measure",
            "unit": "duration",
            "direction": "down",
            "baseline": Decimal(555),  # 9:15 per mile
            "target": Decimal(480),  # 8:00 per mile
            "due_days": 365,
        },
        "micro": [
            {
                "title": "5k at a sub-7:00 pace",
                "kind": "measure",
                "unit": "duration",
                "direction": "down",
                "baseline": Decimal(510),
                "target": Decimal(420),
            },
            {
                "title": "1 mile under 6:00",
                "kind": "measure",
                "unit": "duration",
                "direction": "down",
                "baseline": Decimal(445),
                "target": Decimal(360),
            },
            {
                "title": "400 m under 60 seconds",
                "kind": "measure",
                "unit": "duration",
                "direction": "down",
                "baseline": Decimal(78),
                "target": Decimal(60),
            },
        ],
    },
    "career": {
        "label": "Career: become a people manager in two years",
        "source": "Seed 004: a career macro goal with two micro goals.",
        "goal": {
            "title": "Become a people manager",
            "why": "Lead a team within two years.",
            "kind": "milestone",
            "due_days": 730,
        },
        "micro": [
            {"title": "Take a leadership training course", "kind": "milestone", "due_days": 365},
            {"title": "Mentor a junior team member", "kind": "milestone", "due_days": 365},
        ],
    },
    "ask-for-the-sale": {
        "label": "Sales: ask ten people a week for the sale",
        "source": "Seed 001: set the goal on what you control, the asking, not the closing.",
        "goal": {
            "title": "Ask ten people a week for the sale",
            "kind": "activity",
            "target": Decimal(10),
            "period": "week",
        },
        "micro": [],
    },
    "twenty-interviews": {
        "label": "Job search: twenty interviews in thirty days",
        "source": "Seed 001: informational interviews you set up yourself.",
        "goal": {"title": "Twenty interviews in thirty days", "kind": "count", "target": Decimal(20), "due_days": 30},
        "micro": [],
    },
}

CHOICES = [(key, starter["label"]) for key, starter in STARTERS.items()]


def goal_fields(spec, today):
    """Model fields for one goal of a starter, its due date counted from today."""
    fields = {k: v for k, v in spec.items() if k != "due_days"}
    if "due_days" in spec:
        fields["due"] = today + timedelta(days=spec["due_days"])
    return fields
