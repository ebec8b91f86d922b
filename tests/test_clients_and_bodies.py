"""Behind a proxy each client is counted on its own; oversized request bodies are refused."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def failed_sign_in(client, address, email):
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong"}, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address
    )


def test_behind_a_proxy_one_clients_failures_lock_out_no_one_else(client, make_person, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what BEHIND_PROXY=1 sets (see the test below)
    person = make_person()
    for n in range(15):  # one client, fifteen failed guesses in a minute: that client is slowed down
        failed_sign_in(client, "203.0.113.7", f"someone{n}@example.com")
    assert "Too many failed login attempts" in failed_sign_in(client, "203.0.113.7", "x@example.com").content.decode()
    response = client.post(  # another client, through the same proxy, signs in
        "/accounts/login/",
        {"login": person.email, "password": "pw-for-tests"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == 302


def test_behind_proxy_names_the_trusted_proxies():
    code = "from django.conf import settings as s; print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.SECURE_PROXY_SSL_HEADER)"
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "BEHIND_PROXY": "1"}
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.stdout.split(maxsplit=1) == ["1", "('HTTP_X_FORWARDED_PROTO', 'https')\n"], out.stderr


def test_an_oversized_body_is_refused(client, make_team):
    team = make_team()
    client.force_login(team.lead)
    response = client.post("/wins/", {"text": "x" * 300_000, "client_key": "k"})
    assert response.status_code == 400
    assert not team.wins.exists()


@pytest.mark.parametrize(
    "url", ["/wins/%00/comments/", "/wins/%00/edit/", "/goals/%00/", "/join/%00/", "/plan/%00/toggle/"]
)
def test_a_nul_byte_in_a_code_is_no_page(client, make_person, url):
    client.force_login(make_person())
    assert client.get(url).status_code == 404
