from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from .models import Person


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        """Refuse an address longer than the column holds: allauth's forms take up to 320 characters, and on
        sign-up it would cut the address (an account under an address that is not the person's)."""
        email = super().clean_email(email)
        limit = Person._meta.get_field("email").max_length
        if len(email) > limit:
            raise forms.ValidationError(f"Use an address of at most {limit} characters.")
        return email
