from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.generic import RedirectView

from . import views
from .converters import Code

register_converter(Code, "code")  # before the apps' URLs, which use it

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    # The sessions live on /account/, where each can be ended (allauth's page can only end all the others).
    path("accounts/sessions/", RedirectView.as_view(url="/account/#sessions")),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("", include("wins.urls")),
    path("", include("teams.urls")),
    path("", include("goals.urls")),
]

if settings.ADMIN_URL:  # no admin at all unless its path is set
    urlpatterns.insert(0, path(f"{settings.ADMIN_URL}/", admin.site.urls))

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
