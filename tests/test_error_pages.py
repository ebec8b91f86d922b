import uuid
from unittest import mock

import pytest
from django.db import DataError, InterfaceError, OperationalError, connections
from django.test import Client


@pytest.fixture
def team(make_team):
    return make_team(members=1)


@pytest.fixture
def member(client, team):
    client.raise_request_exception = False
    client.force_login(team.members[0])
    return team.members[0]


def database_down(error):
    """Every query fails with `error`, as when PostgreSQL restarts under a running app."""
    return mock.patch.object(connections["default"], "_cursor", side_effect=error)


def assert_error_page(response, status):
    """In the layout, with a way back, under the strict CSP: no inline style, every script an external file."""
    html = response.content.decode()
    assert response.status_code == status
    assert f'id="problem-{status}"' in html
    assert '<header class="topbar">' in html and '<footer class="footer">' in html
    assert 'href="/today/"' in html and 'href="/"' in html
    assert 'rel="stylesheet" href="/static/css/app' in html
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp
    assert " style=" not in html and "<style" not in html
    for tag in html.split("<script")[1:]:
        assert "src=" in tag.split(">")[0]
    assert "Traceback" not in html


def test_404_is_a_page_in_the_layout(client, member):
    assert_error_page(client.get("/t/no-such-team/"), 404)


def test_404_for_a_stranger_too(client, db):
    assert_error_page(client.get("/no/such/page/"), 404)


def test_403_says_why(client, team, member):
    response = client.get(f"/t/{team.slug}/settings/")
    assert_error_page(response, 403)
    assert "Only the team&#x27;s leads can do this." in response.content.decode()


def test_403_on_a_form_without_its_csrf_token(team, member):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(member)
    response = client.post("/wins/", {"text": "No token", "client_key": str(uuid.uuid4())})
    assert_error_page(response, 403)
    assert "That form had expired" in response.content.decode()


def test_405_for_a_get_on_a_post_only_address(client, member, make_win):
    win = make_win(member)
    response = client.get(f"/wins/{win.code}/applaud/")
    assert_error_page(response, 405)
    assert response["Allow"] == "POST"


def test_405_to_htmx_is_only_the_message(client, member, make_win):
    win = make_win(member)
    response = client.get(f"/wins/{win.code}/applaud/", headers={"HX-Request": "true"})
    assert response.status_code == 405 and response["Allow"] == "POST"
    html = response.content.decode()
    assert 'id="problem-405"' in html and "<html" not in html


def test_400_for_a_host_not_served(client, db):
    assert_error_page(client.get("/", headers={"host": "evil.example"}), 400)


def test_a_huge_body_is_refused(client, member, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    data = {"text": "x" * 20_000, "client_key": str(uuid.uuid4())}
    assert_error_page(client.post("/wins/", data), 400)


@pytest.mark.parametrize("error", [OperationalError("the database system is shutting down"), InterfaceError()])
def test_503_when_the_database_is_down(client, member, error):
    with database_down(error):
        response = client.get("/today/")
    assert_error_page(response, 503)
    assert response["Retry-After"] == "5"


def test_503_to_htmx_is_only_the_message(client, member):
    data = {"text": "Posted while the database restarts", "client_key": str(uuid.uuid4())}
    with database_down(OperationalError("server closed the connection unexpectedly")):
        response = client.post("/wins/", data, headers={"HX-Request": "true"})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    html = response.content.decode()
    assert 'id="problem-503"' in html and "<html" not in html


@pytest.mark.parametrize("error", [ZeroDivisionError("a bug"), DataError("a bug that reached the database")])
def test_500_is_static_it_reads_nothing(client, member, error):
    with database_down(error):  # any query now fails: the page makes none
        response = client.get("/today/")
    assert_error_page(response, 500)
    assert "Retry-After" not in response


def test_500_for_a_bug_in_a_view(client, member):
    with mock.patch("wins.views.today_context", side_effect=ValueError("a bug")):
        response = client.get("/today/")
    assert_error_page(response, 500)


def test_healthz_is_503_when_the_database_is_down(client, db):
    with database_down(OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
