"""The Django admin's site: staff only, signed in through the site's own sign-in and with a second factor."""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.models import UserSession
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models.base import ModelBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def used_second_factor(request):
    """Whether this session was signed in (or confirmed since) with an authenticator app, a recovery code or a
    passkey: allauth records each way the session authenticated."""
    methods = request.session.get("account_authentication_methods", [])
    return any(method.get("method") == "mfa" for method in methods)


class UserSessionAdmin(admin.ModelAdmin):
    """allauth's, searched by what a person has (allauth's searches `user__username`: a person has none)."""

    raw_id_fields = ("user",)
    list_display = ("user", "created_at", "last_seen_at", "ip", "user_agent")
    search_fields = ["user__email", "ip"]


class AuthenticatorAdmin(admin.ModelAdmin):
    """allauth's, without the data: a TOTP secret or recovery codes are for nobody to read, staff included. A
    lost factor can still be removed."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type", "created_at", "last_used_at")
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


REPLACED = {Authenticator: AuthenticatorAdmin, UserSession: UserSessionAdmin}


class AdminSite(admin.AdminSite):
    site_header = site_title = "Microwins admin"

    def register(self, model_or_iterable, admin_class=None, **options):
        """allauth's apps register their own admins as the admin loads them; two are swapped for ours here."""
        models = [model_or_iterable] if isinstance(model_or_iterable, ModelBase) else model_or_iterable
        for model in models:
            super().register(model, REPLACED.get(model, admin_class), **options)

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
