from django.contrib import admin
from django.urls import include, path, register_converter

from . import views
from .converters import Code

register_converter(Code, "code")  # before the apps' URLs, which use it

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("offline/", views.offline, name="offline"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("wins.urls")),
    path("", include("teams.urls")),
    path("", include("goals.urls")),
]

handler400 = views.bad_request
handler403 = views.permission_denied
handler404 = views.page_not_found
handler500 = views.server_error
