from django import forms

from .models import Person, time_zone_choices


class SignupForm(forms.Form):
    """Extra sign-up fields for allauth: how teammates see you, and where your days begin."""

    display_name = forms.CharField(max_length=60, label="Your name", help_text="How teammates see you.")
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial="UTC",
        label="Time zone",
        widget=forms.Select(attrs={"data-detect-time-zone": ""}),
    )

    def signup(self, request, user):
        user.display_name = self.cleaned_data["display_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        user.save(update_fields=["display_name", "time_zone"])


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices, label="Time zone")

    class Meta:
        model = Person
        fields = ["display_name", "time_zone"]
        labels = {"display_name": "Your name"}
        help_texts = {"time_zone": "Your days begin and end here. Past wins keep their dates."}
