from django import forms
from django.core.validators import MaxLengthValidator

from . import score_sheets
from .models import Invitation, Person, ScoreKind, Team, time_zone_choices, validate_one_line


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth: how teammates see you, and where your days begin."""

    display_name = forms.CharField(
        max_length=60, label="Your name", help_text="How teammates see you.", validators=[validate_one_line]
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        label="Time zone",
        widget=forms.Select(attrs={"data-detect-time-zone": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields.get("email")  # allauth's, which takes up to 320 characters
        if email:
            limit = Person._meta.get_field("email").max_length
            email.max_length = limit
            email.validators.append(MaxLengthValidator(limit))
            email.widget.attrs["maxlength"] = str(limit)

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])


WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")
    active_weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Active days",
        help_text="Days without a win on the others (rest days) never break your streak.",
    )

    class Meta:
        model = Person
        fields = ["display_name", "time_zone", "week_start"]
        labels = {"display_name": "Your name", "week_start": "Your weeks start on"}
        help_texts = {"time_zone": "Your days begin and end here. Past wins keep their dates."}

    field_order = ["display_name", "time_zone", "active_weekdays", "week_start"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["active_weekdays"].initial = sorted(self.instance.active_weekdays)

    def clean_active_weekdays(self):
        days = self.cleaned_data["active_weekdays"]
        if not days:
            raise forms.ValidationError("Choose at least one active day.")
        return days

    def save(self, commit=True):
        self.instance.active_days = sum(1 << day for day in self.cleaned_data["active_weekdays"])
        return super().save(commit)


class MailForm(forms.ModelForm):
    """Which mail comes by itself, and when the digest does."""

    class Meta:
        model = Person
        fields = ["mail_digest", "digest_at", "mail_week", "mail_nudge", "mail_morning"]
        labels = {
            "mail_digest": "Evening digest of the teams I lead",
            "digest_at": "Digest time",
            "mail_week": "My week, when it ends",
            "mail_nudge": "An evening nudge (19:00) on active days without a win",
            "mail_morning": "A morning prompt (08:00) for today's three, on active days",
        }
        help_texts = {
            "mail_digest": "The team's wins of the day by person, goals reached, blockers, quiet members.",
            "digest_at": "In each team's own time zone.",
            "mail_week": "Wins and points, streak and momentum, goals, and the applause and comments you got.",
        }
        widgets = {"digest_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


class TeamForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")

    class Meta:
        model = Team
        fields = ["name", "purpose", "time_zone", "week_start"]
        labels = {"purpose": "Why this work matters", "week_start": "Weeks start on"}
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class NewTeamForm(TeamForm):
    score_sheet = forms.ChoiceField(
        choices=score_sheets.CHOICES,
        label="Start the score sheet from",
        help_text="The kinds of win your team counts, with their points. You can edit them later.",
    )


class InvitationForm(forms.ModelForm):
    days = forms.IntegerField(min_value=1, max_value=90, initial=14, label="Expires after (days)")

    class Meta:
        model = Invitation
        fields = ["email", "role", "multi_use"]
        labels = {"email": "Email (optional)", "multi_use": "Anyone with the link can use it (until it expires)"}


MAX_POINTS = 100  # a kind's points, copied onto every win of it (docs/limits.md)
POINTS_MESSAGE = f"Keep points between 0 and {MAX_POINTS}."


class ScoreKindForm(forms.ModelForm):
    points = forms.IntegerField(
        label="Points",
        initial=1,
        min_value=0,
        max_value=MAX_POINTS,
        error_messages={"min_value": POINTS_MESSAGE, "max_value": POINTS_MESSAGE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),  # min and max come from the field
    )

    class Meta:
        model = ScoreKind
        fields = ["emoji", "name", "points"]
        labels = {"emoji": "Emoji", "name": "Kind of win"}


TICK_EACH_TEAM = "Tick each team: they are deleted with your account, for everyone in them."


class DeleteAccountForm(forms.Form):
    """Deleting an account is confirmed with the password, or, for a person who has none (they sign in with
    Google or GitHub), with a code mailed to them; and by ticking each team that goes with it."""

    password = forms.CharField(
        label="Your password",
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label="The code we mailed you",
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    delete_teams = forms.MultipleChoiceField(
        label="Teams deleted with your account",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": TICK_EACH_TEAM},
    )

    def __init__(self, *args, person, mailed_code=None, teams_deleted=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.mailed_code = person, mailed_code
        del self.fields["code" if person.has_usable_password() else "password"]
        field = self.fields["delete_teams"]
        field.choices = [(team.slug, f"Delete {team.name}, its goals and my wins in it") for team in teams_deleted]
        if not teams_deleted:
            del self.fields["delete_teams"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.person.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not self.mailed_code or not self.mailed_code(code):
            raise forms.ValidationError("That code is not the one we mailed, or it has expired: ask for a new one.")
        return code

    def clean_delete_teams(self):
        ticked = set(self.cleaned_data["delete_teams"])
        if ticked != {slug for slug, _ in self.fields["delete_teams"].choices}:
            raise forms.ValidationError(TICK_EACH_TEAM)
        return ticked
