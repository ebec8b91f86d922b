"""The Django admin's site: staff only, signed in through the site's own sign-in and with a second factor."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def used_second_factor(request):
    """Whether this session was signed in (or confirmed since) with an authenticator app, a recovery code or a
    passkey: allauth records each way the session authenticated."""
    methods = request.session.get("account_authentication_methods", [])
    return any(method.get("method") == "mfa" for method in methods)


class AdminSite(admin.AdminSite):
    site_header = site_title = "Microwins admin"

    def has_permission(self, request):
        return super().has_permission(request) and used_second_factor(request)

    @method_decorator(login_not_required)  # as the admin's own: it sends a visitor to sign in itself
    def login(self, request, extra_context=None):
        """The admin has no password form of its own: a visitor signs in on the site (second factor included),
        a staff member without a second factor sets one up, one signed in without it confirms with it."""
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}) or not target.startswith("/"):
            target = reverse("admin:index", current_app=self.name)
        person = request.user
        if not person.is_authenticated:
            return redirect_to_login(target)
        if not (person.is_active and person.is_staff):
            raise PermissionDenied("The admin is for staff.")
        if not is_mfa_enabled(person):
            messages.error(request, "The admin needs a second factor: add an authenticator app or a passkey first.")
            return redirect("mfa_index")
        if not used_second_factor(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
        return redirect(target)
