"""Google and GitHub sign-in: present only when both the client id and the secret are in the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.settings import social_providers

ROOT = Path(__file__).resolve().parent.parent


def test_nothing_set_means_no_provider():
    assert social_providers({}) == {}
    assert social_providers({"GOOGLE_CLIENT_ID": " ", "GOOGLE_CLIENT_SECRET": ""}) == {}


def test_each_provider_with_its_id_and_secret():
    providers = social_providers(
        {"GOOGLE_CLIENT_ID": "g-id", "GOOGLE_CLIENT_SECRET": "g-secret", "GITHUB_CLIENT_ID": "h-id "}
        | {"GITHUB_CLIENT_SECRET": "h-secret"}
    )
    assert providers["google"]["APP"] == {"client_id": "g-id", "secret": "g-secret"}
    assert providers["github"]["APP"] == {"client_id": "h-id", "secret": "h-secret"}
    assert providers["github"]["SCOPE"] == ["user:email"]
    assert set(social_providers({"GITHUB_CLIENT_ID": "h", "GITHUB_CLIENT_SECRET": "s"})) == {"github"}


@pytest.mark.parametrize("name", ["GOOGLE_CLIENT_ID", "GITHUB_CLIENT_SECRET"])
def test_half_a_pair_is_an_error(name):
    with pytest.raises(ValueError, match="Set both"):
        social_providers({name: "x"})


def test_without_them_no_provider_app_and_no_button(client, db):
    assert settings.SOCIALACCOUNT_PROVIDERS == {}
    assert not [app for app in settings.INSTALLED_APPS if ".providers." in app]
    body = client.get("/accounts/login/").content.decode()
    assert "Google" not in body and "GitHub" not in body and "third-party" not in body


def test_with_them_the_sign_in_page_offers_both(django_db_setup):
    """A separate process started with the variables set, against the test database (it only reads)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    script = (
        "import django, json; django.setup();"
        "from django.conf import settings; from django.test import Client;"
        "page = Client().get('/accounts/login/').content.decode();"
        "print(json.dumps({'apps': [a for a in settings.INSTALLED_APPS if '.providers.' in a],"
        " 'google': '/accounts/google/login/' in page, 'github': '/accounts/github/login/' in page}))"
    )
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": url,
        "GOOGLE_CLIENT_ID": "g-id",
        "GOOGLE_CLIENT_SECRET": "g-secret",
        "GITHUB_CLIENT_ID": "h-id",
        "GITHUB_CLIENT_SECRET": "h-secret",
    }
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result == {
        "apps": ["allauth.socialaccount.providers.google", "allauth.socialaccount.providers.github"],
        "google": True,
        "github": True,
    }


def test_half_a_pair_stops_the_start():
    env = os.environ | {"DEBUG": "1", "GOOGLE_CLIENT_ID": "g-id", "GOOGLE_CLIENT_SECRET": ""}
    out = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode != 0 and "Set both GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET" in out.stderr
