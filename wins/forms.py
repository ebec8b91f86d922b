import uuid
from collections import defaultdict
from datetime import timedelta

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator

from .models import Comment, Win

BACKDATE_DAYS = 7


class KindChips(forms.RadioSelect):
    template_name = "wins/widgets/chips.html"


class GoalChoices(ModelChoiceIterator):
    """The goal picker's options with each micro goal under its macro goal: an optgroup per macro goal, which opens
    with the macro goal itself when it can be picked too. One query, however many goals."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        goals = list(self.queryset)
        picked = {goal.pk for goal in goals}
        micro = defaultdict(list)
        for goal in goals:
            if goal.parent_id:
                micro[goal.parent_id].append(goal)
        orphans = {goal.parent_id: goal.parent for goal in goals if goal.parent_id and goal.parent_id not in picked}
        tops = sorted([g for g in goals if not g.parent_id] + list(orphans.values()), key=lambda g: g.title.lower())
        for top in tops:
            under = [self.choice(goal) for goal in micro[top.pk]]
            head = [self.choice(top)] if top.pk in picked else []
            yield (top.title, head + under) if under else head[0]


class WinForm(forms.ModelForm):
    """Post or edit a win. Every choice is scoped to the author: their team's kinds, their own or their teams' goals."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Win
        fields = ["text", "kind", "goal", "day", "note", "visibility", "client_key"]
        labels = {"text": "Your win", "kind": "Kind", "goal": "Goal it advances", "day": "When", "note": "Note"}
        widgets = {
            "text": forms.TextInput(
                attrs={"placeholder": "What went well? e.g. A reader emailed to say thanks", "autocomplete": "off"}
            ),
            "kind": KindChips,
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2, "placeholder": "Anything worth remembering (optional)"}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args, author, team=None, today, team_lost=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.author, self.today, self.team_lost = author, today, team_lost
        self.team = self.instance.team if self.instance.pk else team
        kinds = self.fields["kind"].queryset
        current = Q(archived_at=None) | Q(pk=self.instance.kind_id)  # an archived kind stays on the wins that have it
        self.fields["kind"].queryset = kinds.filter(current, team=self.team) if self.team else kinds.none()
        self.fields["kind"].empty_label = None
        self.fields["kind"].label_from_instance = lambda kind: f"{kind.emoji} {kind.name} +{kind.points}"
        self.fields["kind"].required = False
        goals = self.fields["goal"].queryset  # goals.Goal, reached through the foreign key: wins never imports goals
        mine_or_the_teams = Q(owner=author) | Q(team=self.team) if self.team else Q(owner=author)
        self.fields["goal"].iterator = GoalChoices  # before the queryset, which hands the widget its choices
        self.fields["goal"].queryset = (
            goals.filter(mine_or_the_teams & (Q(status="active") | Q(pk=self.instance.goal_id)))
            .select_related("owner", "team", "parent")  # whether a win reaches it is judged in the goal's own days
            .order_by("title")
        )
        self.fields["goal"].empty_label = "No goal"
        self.fields["day"].initial = today
        self.fields["day"].required = False  # left empty, it means today
        self.fields["day"].widget.attrs.update(min=(today - timedelta(days=BACKDATE_DAYS)).isoformat(), max=today)
        if self.team:
            self.fields["visibility"].required = False  # left out, a win is shared with the team
        else:
            del self.fields["visibility"]
        if self.instance.pk:
            del self.fields["client_key"]
        else:
            self.fields["client_key"].initial = uuid.uuid4()

    def _get_validation_exclusions(self):
        # The kind and the goal come from their fields' querysets, scoped to the author: the model's own check
        # that they exist would ask the database a second time.
        return super()._get_validation_exclusions() | {"kind", "goal"}

    def clean(self):
        if self.team_lost:
            raise forms.ValidationError(
                "You are no longer in the team this box posted to, so this win was not posted. Post it again here."
            )
        return super().clean()

    def clean_day(self):
        day = self.cleaned_data["day"] or self.today
        if day > self.today:
            raise forms.ValidationError("A win can't be in the future.")
        if day < self.today - timedelta(days=BACKDATE_DAYS) and day != self.instance.day:
            raise forms.ValidationError(
                f"Back-date up to {BACKDATE_DAYS} days, to {self.today - timedelta(days=7):%-d %B}."
            )
        return day

    def clean_visibility(self):
        return self.cleaned_data.get("visibility") or Win.Visibility.TEAM

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError("Write what went well, in a few words.")
        return text

    @property
    def more_has_errors(self):
        return any(name in self.errors for name in ("goal", "day", "note", "visibility"))


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["text"]
        labels = {"text": "Comment"}
        widgets = {"text": forms.TextInput(attrs={"placeholder": "Say something kind", "autocomplete": "off"})}


class FeedFilterForm(forms.Form):
    """The feed's filters; they live in the URL so a filtered view can be shared."""

    person = forms.ChoiceField(required=False, label="Person")
    kind = forms.ChoiceField(required=False, label="Kind")
    goal = forms.ChoiceField(required=False, label="Goal")
    start = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, members, kinds, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Everyone")] + [(m.code, m.person.display_name) for m in members]
        self.fields["kind"].choices = [("", "All kinds")] + [(str(k.pk), f"{k.emoji} {k.name}") for k in kinds]
        self.fields["goal"].choices = [("", "All goals")] + [(g.code, g.title) for g in goals]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end comes before the start.")
        return data
