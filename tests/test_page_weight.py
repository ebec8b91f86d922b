"""Light pages (issue #17): HTML compressed, the dashboard within its budget. `make weight` (bench/weight.py)
measures the whole first load in production mode, in Chromium."""

import gzip


def test_pages_are_compressed_for_a_browser_that_asks(client, make_team):
    team = make_team(members=5, days=120)
    client.force_login(team.lead)
    for path in ("/today/", f"/t/{team.slug}/dashboard/", f"/t/{team.slug}/dashboard/?part=year"):
        plain = client.get(path, headers={"HX-Request": "true"} if "part=" in path else {}).content
        headers = {"Accept-Encoding": "gzip, deflate, br"} | ({"HX-Request": "true"} if "part=" in path else {})
        response = client.get(path, headers=headers)
        assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content)[:40] == plain[:40]
        assert len(response.content) < len(plain) / 3, path


def test_the_dashboards_html_is_within_its_budget_compressed(client, make_team):
    """Issue #17's budget: the dashboard's HTML at most 25 KB compressed (`make weight` measures it in production
    mode); here for a team of six with four months of history, as the demo's."""
    team = make_team(members=5, days=120)
    client.force_login(team.lead)
    response = client.get(f"/t/{team.slug}/dashboard/", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) <= 25 * 1024
