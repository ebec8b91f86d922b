import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
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
