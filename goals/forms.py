import re

from django import forms
from django.core.exceptions import ValidationError

from teams.models import Blocker, Membership

from . import starters
from .measures import MAX_TEXT, format_value, parse_value
from .models import Goal, Intention, Measurement

MAX_WINS = 1000  # a count or activity goal's target (docs/limits.md)
WHOLE_NUMBER = re.compile(r"\d{1,4}")  # `\d`, not str.isdigit: int() refuses "²"


KIND_TARGETS = {  # the target field's label and help, by the kind of goal
    Goal.Kind.COUNT: ("Wins to reach", "Every win you link to this goal counts toward it."),
    Goal.Kind.ACTIVITY: ("Wins per period", "How many linked wins make a good day, week or month."),
    Goal.Kind.MEASURE: ("Target value", "The value to reach: 8:00 for a time, 6.2 for a distance."),
}


class GoalForm(forms.ModelForm):
    """Create or edit a goal. Who sees it: only me, me and a team of mine, or (a lead's) a team goal.
    A micro goal is seen by whoever sees its macro goal. Targets are typed as people say them (8:00, 6.2)."""

    audience = forms.ChoiceField(
        label="Who sees it",
        required=False,
        help_text="Your goals are yours alone unless you share them: a team you share one with sees it and "
        "its progress, read-only.",
    )
    target_text = forms.CharField(
        label="Target",
        required=False,
        max_length=MAX_TEXT,
        help_text="Wins to reach, wins per period, or the value to reach (8:00, 6.2).",
    )
    baseline_text = forms.CharField(
        label="Where you start",
        required=False,
        max_length=MAX_TEXT,
        help_text="Today's value: progress counts from it.",
    )

    class Meta:
        model = Goal
        fields = ["title", "why", "parent", "kind", "period", "unit", "direction", "due"]
        labels = {"why": "Why it matters", "parent": "Part of (macro goal)", "due": "Due date"}
        widgets = {
            "why": forms.Textarea(attrs={"rows": 2}),
            "due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.RadioSelect,
        }

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        memberships = list(Membership.objects.filter(person=person).select_related("team").order_by("team__name"))
        self.shared_teams = {m.team.slug: m.team for m in memberships}
        self.teams = {m.team.slug: m.team for m in memberships if m.is_lead}  # a lead sets the team's goals
        editable = Goal.objects.filter(owner=person) | Goal.objects.filter(team__in=self.teams.values())
        self.fields["parent"].queryset = editable.filter(parent=None, status=Goal.Status.ACTIVE).order_by("title")
        self.fields["parent"].empty_label = "None: this is a macro goal"
        self.fields["period"].required = False
        self.fields["unit"].required = False
        self.fields["direction"].required = False
        # Only the chosen kind's fields are shown, each with a real default: no "---------" to pick from.
        self.fields["period"].choices, self.fields["unit"].choices = Goal.Period.choices, Goal.Unit.choices
        self.initial["period"] = self.initial.get("period") or Goal.Period.WEEK
        self.initial["unit"] = self.initial.get("unit") or Goal.Unit.NUMBER
        self.fields["direction"].choices = Goal.Direction.choices
        self.fields["direction"].widget = forms.RadioSelect(choices=Goal.Direction.choices)
        label, help_text = KIND_TARGETS.get(self.shown_kind, ("Target", ""))
        self.fields["target_text"].label, self.fields["target_text"].help_text = label, help_text
        choices = [("", "Only me")] + [(f"share:{slug}", f"Me and {t.name}") for slug, t in self.shared_teams.items()]
        if self.instance.pk:
            same_owner = Goal.objects.filter(owner=self.instance.owner_id, team=self.instance.team_id)
            self.fields["parent"].queryset = (self.fields["parent"].queryset & same_owner).exclude(pk=self.instance.pk)
            if self.instance.target is not None:
                self.initial["target_text"] = self.shown(self.instance.target)
            if self.instance.baseline is not None:
                self.initial["baseline_text"] = self.shown(self.instance.baseline)
            if self.instance.team_id or self.instance.parent_id:  # a team's goal stays the team's; micro follows macro
                del self.fields["audience"]
            else:
                shared = self.instance.shared_with
                self.initial["audience"] = f"share:{shared.slug}" if shared else ""
        else:
            choices += [(f"team:{slug}", f"{t.name}: a team goal") for slug, t in self.teams.items()]
        if "audience" in self.fields:
            self.fields["audience"].choices = choices
            self.order_fields(["title", "audience"])

    @property
    def shown_kind(self):
        """The kind whose fields the form shows: the one posted, else the one it starts from."""
        return (self.data.get("kind") if self.is_bound else self.initial.get("kind")) or ""

    def shown(self, value):
        if self.instance.kind == Goal.Kind.MEASURE:
            return format_value(value, self.instance.unit).replace(",", "").split(" ")[0]
        return str(int(value))

    def clean(self):
        data = super().clean()
        kind, unit = data.get("kind"), data.get("unit") or Goal.Unit.NUMBER
        data["direction"] = data.get("direction") or Goal.Direction.UP
        target, baseline = data.get("target_text", "").strip(), data.get("baseline_text", "").strip()
        data["target"] = data["baseline"] = None
        if kind in (Goal.Kind.COUNT, Goal.Kind.ACTIVITY):
            if WHOLE_NUMBER.fullmatch(target) and 0 < int(target) <= MAX_WINS:
                data["target"] = int(target)
            elif "target_text" not in self.errors:  # one too long to be a number is said already
                self.add_error("target_text", f"Enter how many wins: a whole number from 1 to {MAX_WINS}.")
            if kind == Goal.Kind.ACTIVITY and not data.get("period"):
                self.add_error("period", "Choose per day, week or month.")
        elif kind == Goal.Kind.MEASURE:
            data["unit"] = unit
            for name, text in (("target_text", target), ("baseline_text", baseline)):
                if name in self.errors or (name == "baseline_text" and not text):
                    continue  # said already; or no baseline: progress starts from the first value logged
                try:
                    data[name[:-5]] = parse_value(text, unit)
                except ValidationError as error:
                    self.add_error(name, error)
        if kind != Goal.Kind.ACTIVITY:  # fields of another kind, left from before a change of kind, are dropped
            data["period"] = ""
        if kind != Goal.Kind.MEASURE:
            data["unit"], data["direction"] = "", Goal.Direction.UP
        if data.get("parent") and self.instance.pk and self.instance.children.exists():
            self.add_error("parent", "This goal has micro goals of its own: goals go two levels deep.")
        return data

    def save(self, commit=True):
        goal = super().save(commit=False)
        goal.target, goal.baseline = self.cleaned_data["target"], self.cleaned_data["baseline"]
        parent = self.cleaned_data.get("parent")
        if parent:  # a micro goal is seen by whoever sees its macro goal
            goal.owner, goal.team, goal.shared_with = parent.owner, parent.team, parent.shared_with
        elif "audience" in self.fields:
            how, _, slug = self.cleaned_data.get("audience", "").partition(":")
            goal.owner, goal.team, goal.shared_with = self.person, None, None
            if how == "team":
                goal.owner, goal.team = None, self.teams[slug]
            elif how == "share":
                goal.shared_with = self.shared_teams[slug]
        if commit:
            goal.save()
            if goal.parent_id is None:  # micro goals are seen by whoever sees their macro goal
                goal.children.exclude(shared_with=goal.shared_with).update(shared_with=goal.shared_with)
        return goal


class StarterForm(forms.Form):
    starter = forms.ChoiceField(choices=starters.CHOICES, widget=forms.RadioSelect, label="Start from")


class MeasurementForm(forms.ModelForm):
    value_text = forms.CharField(label="Value", max_length=MAX_TEXT)

    class Meta:
        model = Measurement
        fields = ["day", "note"]
        labels = {"day": "Date", "note": "Note"}
        widgets = {"day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, goal, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal, self.today = goal, today
        self.fields["day"].initial = today
        self.fields["value_text"].help_text = "Minutes and seconds, like 7:45." if goal.unit == "duration" else ""
        self.fields["value_text"].widget.attrs.update(
            placeholder="7:45" if goal.unit == "duration" else "42", inputmode="decimal", autocomplete="off"
        )
        self.order_fields(["value_text", "day", "note"])

    def clean_value_text(self):
        return parse_value(self.cleaned_data["value_text"], self.goal.unit)

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > self.today:
            raise ValidationError("A measurement can't be in the future.")
        return day


class IntentionForm(forms.ModelForm):
    class Meta:
        model = Intention
        fields = ["text", "kind"]
        labels = {"text": "One thing to do today", "kind": "Kind of win, when it's done"}
        widgets = {"text": forms.TextInput(attrs={"placeholder": "e.g. Pitch one guest post", "autocomplete": "off"})}

    def __init__(self, *args, team=None, **kwargs):
        kwargs.setdefault("auto_id", "plan_%s")  # Today also has the post box's `text` field
        super().__init__(*args, **kwargs)
        kinds = self.fields["kind"].queryset
        self.fields["kind"].queryset = kinds.filter(team=team, archived_at=None) if team else kinds.none()
        self.fields["kind"].required = False
        self.fields["kind"].empty_label = "No kind"

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise ValidationError("Write one thing, in a few words.")
        return text


class ReviewForm(forms.Form):
    """The evening review; tomorrow's three come after it, unfinished ones can be carried over."""

    day = forms.TypedChoiceField(label="Which day are you reviewing?", coerce=lambda v: v, widget=forms.RadioSelect)
    learnt = forms.CharField(
        label="What I learnt", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_the_way = forms.CharField(
        label="What got in the way", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    raise_blocker = forms.BooleanField(label="Raise this as a blocker for my team's leads", required=False)
    blocker_team = forms.ChoiceField(label="Team", required=False)
    carry = forms.MultipleChoiceField(label="Carry to tomorrow", required=False, widget=forms.CheckboxSelectMultiple)
    tomorrow_1 = forms.CharField(label="Tomorrow, 1", required=False, max_length=140)
    tomorrow_2 = forms.CharField(label="Tomorrow, 2", required=False, max_length=140)
    tomorrow_3 = forms.CharField(label="Tomorrow, 3", required=False, max_length=140)

    def __init__(self, *args, days, teams, unfinished, planned_tomorrow, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = {d.isoformat(): d for d in days}
        self.fields["day"].choices = [
            (d.isoformat(), f"{label}, {d:%A %-d %B}") for d, label in zip(days, ("Today", "Yesterday"), strict=True)
        ]
        self.teams = {t.slug: t for t in teams}
        self.fields["blocker_team"].choices = [(t.slug, t.name) for t in teams]
        if not teams:
            del self.fields["raise_blocker"], self.fields["blocker_team"]
        self.unfinished = {i.code: i for i in unfinished}
        self.fields["carry"].choices = [(i.code, i.text) for i in unfinished]
        self.planned_tomorrow = planned_tomorrow

    def clean_day(self):
        return self.days[self.cleaned_data["day"]]

    def clean(self):
        data = super().clean()
        data["tomorrow"] = [data[f"tomorrow_{n}"].strip() for n in (1, 2, 3) if data.get(f"tomorrow_{n}", "").strip()]
        data["carry"] = [self.unfinished[code] for code in data.get("carry") or [] if code in self.unfinished]
        if self.planned_tomorrow + len(data["carry"]) + len(data["tomorrow"]) > 3:
            self.add_error(
                "tomorrow_1", f"Three things a day at most: {self.planned_tomorrow} already planned for tomorrow."
            )
        data["blocker_team"] = self.teams.get(data.get("blocker_team")) if data.get("raise_blocker") else None
        if data.get("raise_blocker") and not data.get("in_the_way", "").strip():
            self.add_error("in_the_way", "Say what got in the way, so your lead can help.")
        limit = Blocker._meta.get_field("text").max_length
        if data.get("raise_blocker") and len(data.get("in_the_way", "")) > limit:  # the review keeps up to 2000
            self.add_error("in_the_way", f"A blocker is at most {limit} characters: say it shorter for your lead.")
        if data.get("raise_blocker") and not data["blocker_team"]:
            self.add_error("blocker_team", "Choose the team whose leads can help.")
        return data
