"""The account page (/account/): two factors at a glance, where I am signed in (each can be signed out), my data,
and the way to delete the account."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36"
LAPTOP = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Gecko/20100101 Firefox/130.0"
QUERIES = 6  # the session, the person, their factors, their recorded sessions, which of those live, their teams


def signed_in(person, user_agent):
    client = Client(HTTP_USER_AGENT=user_agent)
    response = client.post("/accounts/login/", {"login": person.email, "password": "pw-for-tests"})
    assert response.status_code == 302
    return client


def test_the_page_lists_my_sessions_and_two_factors(make_person):
    person = make_person()
    signed_in(person, LAPTOP)
    phone = signed_in(person, PHONE)
    body = phone.get("/account/").content.decode()
    assert "Chrome on Android" in body and "This device" in body and "Firefox on macOS" in body
    assert body.count('action="/account/sessions/') == 1  # the other one; this one signs out below
    assert "Add a passkey" in body and "Set up" in body and "Recovery codes" not in body
    assert "Connected accounts" not in body  # no Google or GitHub configured
    assert 'href="/account/export.zip"' in body and 'href="/account/delete/"' in body

    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    body = phone.get("/account/").content.decode()
    assert "Turn off" in body


def test_signing_out_another_session_ends_it_there(make_person):
    person = make_person()
    laptop = signed_in(person, LAPTOP)
    phone = signed_in(person, PHONE)
    other = UserSession.objects.get(user=person, user_agent=LAPTOP)
    response = phone.post(f"/account/sessions/{other.pk}/end/")
    assert response.status_code == 302 and response.url == "/account/#sessions"
    assert "Signed out Firefox on macOS." in phone.get("/account/").content.decode()
    assert laptop.get("/today/").status_code == 302  # signed out
    assert phone.get("/today/").status_code == 200


def test_this_session_and_other_peoples_are_not_ended_here(make_person):
    person, stranger = make_person(), make_person()
    phone = signed_in(person, PHONE)
    strangers = signed_in(stranger, LAPTOP)
    mine = UserSession.objects.get(user=person)
    theirs = UserSession.objects.get(user=stranger)
    assert phone.post(f"/account/sessions/{mine.pk}/end/").status_code == 404
    assert phone.post(f"/account/sessions/{theirs.pk}/end/").status_code == 404
    assert strangers.get("/today/").status_code == 200


def test_signing_out_everywhere_else(make_person):
    person = make_person()
    others = [signed_in(person, LAPTOP), signed_in(person, LAPTOP)]
    phone = signed_in(person, PHONE)
    assert "Sign out everywhere else" in phone.get("/account/").content.decode()
    assert phone.post("/account/sessions/end-others/").status_code == 302
    assert [c.get("/today/").status_code for c in others] == [302, 302]
    assert list(UserSession.objects.filter(user=person).values_list("user_agent", flat=True)) == [PHONE]


def test_allauths_own_sessions_page_leads_here(client, make_person):
    client.force_login(make_person())
    response = client.get("/accounts/sessions/")
    assert response.status_code == 302 and response.url == "/account/#sessions"


def test_a_person_without_sessions_recorded_is_told_what_shows_here(client, make_person):
    client.force_login(make_person())  # not through the sign-in form: nothing recorded
    assert "Your sign-ins from now on show here" in client.get("/account/").content.decode()


@pytest.mark.parametrize("others", [0, 7])  # 1 and 8 sessions listed: the same queries
def test_the_page_reads_all_sessions_at_once_and_writes_nothing(make_person, others, django_assert_max_num_queries):
    person = make_person()
    for _ in range(others):
        signed_in(person, LAPTOP)
    phone = signed_in(person, PHONE)
    # One that ended without allauth hearing of it (its row in the session store gone): not listed, not purged.
    gone = signed_in(person, LAPTOP)
    Session.objects.filter(session_key=gone.session.session_key).delete()
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(QUERIES):
        body = phone.get("/account/").content.decode()
    reads = ("SELECT", "SAVEPOINT", "RELEASE")
    assert not [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith(reads)]
    assert len(re.findall(r'action="/account/sessions/\d+/end/"', body)) == others
    assert UserSession.objects.filter(user=person).count() == others + 2
