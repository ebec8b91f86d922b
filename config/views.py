import functools
import hashlib
import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.staticfiles import finders
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

RETRY_AFTER = "5"  # seconds: a PostgreSQL restart takes one or two


@login_not_required
@require_GET
def landing(request):
    if request.user.is_authenticated:
        return redirect("wins:today")
    return render(request, "landing.html")


@login_not_required
@never_cache
def healthz(request):
    """200 when the app and its database answer, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = HttpResponse("database unavailable", status=503, content_type="text/plain")
        response["Retry-After"] = RETRY_AFTER
        return response
    return HttpResponse("ok", content_type="text/plain")


def error_template(request, name):
    """The error page, or for an htmx request only its message: htmx swaps no error response into the page."""
    return f"{name}#problem" if request.headers.get("HX-Request") == "true" else name


def bad_request(request, exception):
    return defaults.bad_request(request, exception, template_name=error_template(request, "400.html"))


def permission_denied(request, exception):
    return defaults.permission_denied(request, exception, template_name=error_template(request, "403.html"))


def page_not_found(request, exception):
    return defaults.page_not_found(request, exception, template_name=error_template(request, "404.html"))


def server_error(request):
    """500, or 503 when the database is unreachable (a restart, a failover). Both pages are static: no request
    context, no user, no query, because the database may be what failed. Django calls this inside its `except`."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(render_to_string(error_template(request, "503.html")), status=503)
        response["Retry-After"] = RETRY_AFTER
        return response
    return HttpResponseServerError(render_to_string(error_template(request, "500.html")))


# The installed app: manifest, service worker, offline page.

THEME = "#1f7a5c"  # the icon's green, as in base.html's theme-color
BACKGROUND = "#f7f7f4"  # app.css's --bg: the splash screen while the app opens
# What the service worker keeps for when there is no connection: the offline page and what it and Today load.
SHELL = ["css/app.css", "js/app.js", "js/offline.js", "js/post-box.js", "django_htmx/htmx-2.min.js", "img/icon.svg"]


@login_not_required
@require_GET
def manifest(request):
    """The web app manifest: what a phone needs to install Microwins on its home screen, and the share target that
    opens Today with the post box filled (`?title=&text=&url=`)."""

    def icon(name, size, purpose="any"):
        return {"src": static(f"img/{name}"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": purpose}

    today = reverse("wins:today")
    data = {
        "id": today,
        "name": "Microwins",
        "short_name": "Microwins",
        "description": "Post the small wins of your day in seconds; see your team's progress.",
        "start_url": today,
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME,
        "background_color": BACKGROUND,
        "icons": [icon("icon-192.png", 192), icon("icon-512.png", 512), icon("icon-maskable-512.png", 512, "maskable")],
        "share_target": {
            "action": today,
            "method": "GET",
            "enctype": "application/x-www-form-urlencoded",
            "params": {"title": "title", "text": "text", "url": "url"},
        },
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"  # its icons' names change with each deploy
    return response


def release():
    """This deploy's service worker settings: the files it caches, and a version that changes whenever the worker,
    the offline page or one of those files does, so that a deploy installs a new worker (and drops the old cache)."""
    offline = reverse("offline")
    shell = [static(name) for name in SHELL]
    digest = hashlib.sha256(Path(finders.find("js/sw.js")).read_bytes())
    digest.update(render_to_string("offline.html").encode())
    for name in SHELL:
        digest.update(Path(finders.find(name)).read_bytes())
    return {
        "version": digest.hexdigest()[:16],
        "static": settings.STATIC_URL,
        "offline": offline,
        "shell": shell,
        "debug": settings.DEBUG,  # static names are not hashed in development: they are not cached there
    }


deployed_release = functools.cache(release)  # files do not change under a running production server


@login_not_required
@require_GET
@never_cache  # a deploy must reach phones at their next visit
def service_worker(request):
    """static/js/sw.js, served from the root so that its scope is the whole site, with this deploy's settings put
    above it (RELEASE)."""
    settings_line = f"const RELEASE = {json.dumps(release() if settings.DEBUG else deployed_release())};\n"
    source = Path(finders.find("js/sw.js")).read_text()
    return HttpResponse(settings_line + source, content_type="text/javascript; charset=utf-8")


@login_not_required
@require_GET
def offline(request):
    """The page the service worker shows for a page that can't be loaded offline. The same for everyone (it is
    cached on the phone): nothing of the person in it, and rendered without the request, as release() hashes it."""
    return HttpResponse(render_to_string("offline.html"))
