import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.db import DatabaseError

from teams.models import Person

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_503_when_the_database_does_not(client, db, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("config.views.connection.cursor", broken_cursor)
        response = client.get("/healthz")
    assert response.status_code == 503


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_security_headers_on_public_pages(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/today/", "/account/"])
def test_pages_carry_no_inline_script_or_style(client, make_person, path):
    client.force_login(make_person())
    response = client.get(path, follow=True)
    html = response.content.decode()
    assert " style=" not in html and "<style" not in html
    assert " on" + "click=" not in html
    # Every script is an external file carrying the request's nonce.
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0] and "nonce=" in tag.split(">")[0]
    assert '"includeIndicatorStyles": false' in html
    assert 'hx-headers=\'{"x-csrftoken": "' in html


def test_today_needs_sign_in(client, db):
    response = client.get("/today/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_landing_sends_a_signed_in_person_to_today(client, make_person):
    client.force_login(make_person())
    assert client.get("/").url == "/today/"


def test_today_shows_the_persons_local_date(client, make_person):
    person = make_person(time_zone="Pacific/Auckland")
    client.force_login(person)
    response = client.get("/today/")
    assert response.status_code == 200
    assert response.context["today"] == person.local_today()


def test_sign_up_keeps_name_and_time_zone_and_sends_verification(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "lee@example.com",
            "display_name": "Lee",
            "time_zone": "America/Chicago",
            "password1": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(email="lee@example.com")
    assert (person.display_name, person.time_zone) == ("Lee", "America/Chicago")
    assert "confirm-email" in mail.outbox[0].body


def test_sign_up_with_a_bad_email_keeps_what_was_typed(client, db):
    response = client.post(
        "/accounts/signup/", {"email": "not-an-email", "display_name": "Lee", "time_zone": "UTC", "password1": "x"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Lee"' in html
    assert "errorlist" in html


def test_sign_in_by_emailed_code(client, make_person):
    person = make_person()
    response = client.post("/accounts/login/code/", {"email": person.email})
    assert response.status_code == 302
    body = mail.outbox[0].body
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", body, re.MULTILINE).group(1)
    response = client.post(response.url, {"code": code})
    assert response.status_code == 302
    assert client.get("/today/").status_code == 200


def test_password_reset_mails_a_link(client, make_person):
    person = make_person()
    client.post("/accounts/password/reset/", {"email": person.email})
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_account_updates_profile_and_rejects_an_unknown_time_zone(client, make_person):
    person = make_person()
    client.force_login(person)
    fields = {"display_name": "New name", "active_weekdays": [0, 1, 2, 3, 4], "week_start": 0}
    response = client.post("/account/", fields | {"time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'value="New name"' in response.content.decode()
    client.post("/account/", fields | {"time_zone": "Asia/Tokyo"})
    person.refresh_from_db()
    assert (person.display_name, person.time_zone) == ("New name", "Asia/Tokyo")


def _start(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE"}}
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start(DEBUG="0")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("SECRET_KEY is not set")


def test_production_starts_with_a_secret_key():
    assert _start(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.com").returncode == 0
