"""The installed app (issue #17): manifest and icons, service worker, offline page, share target, compressed pages."""

import json
import struct
import uuid
import zlib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from config import views
from wins.models import Win

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path):
    """(width, height) of a PNG that decodes: signature, IHDR, chunks whose checksums hold, and image data that
    inflates to one filter byte plus a row of pixels per row (8-bit grey, RGB or RGBA, not interlaced)."""
    data = Path(path).read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body), path
        chunks.append((kind, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    channels = {0: 1, 2: 3, 6: 4}[colour]
    assert depth == 8 and interlace == 0
    pixels = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    assert len(pixels) == height * (1 + width * channels)
    return width, height


def static_file(url):
    """The file behind a static URL of the development settings (the tests run with DEBUG=1: names unhashed)."""
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"no static file for {url}"
    return path


def test_the_manifest_has_what_chromium_and_safari_need_to_install_the_app(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Microwins" and manifest["short_name"] == "Microwins"
    assert manifest["start_url"] == "/today/" and manifest["start_url"].startswith(manifest["scope"])
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#1f7a5c" and manifest["background_color"]
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_manifests_icons_are_real_pngs_of_their_stated_size(client, db):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        width, height = png_size(static_file(icon["src"]))
        assert f"{width}x{height}" == icon["sizes"], icon["src"]


def test_the_apple_touch_icon_is_a_180_pixel_png(db):
    assert png_size(finders.find("img/apple-touch-icon.png")) == (180, 180)


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/today/", "/goals/"])
def test_every_page_links_the_manifest_the_icons_and_the_worker(client, make_person, path):
    client.force_login(make_person())
    html = client.get(path, follow=True).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<link rel="apple-touch-icon" href="/static/img/apple-touch-icon.png">' in html
    assert 'data-service-worker="/sw.js"' in html
    assert 'id="new-version"' in html and "hidden" in html.split('id="new-version"')[1].split(">")[0]


def test_the_share_target_opens_today_with_the_post_box_filled(client, make_person):
    client.force_login(make_person())
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    target = manifest["share_target"]
    assert (target["action"], target["method"]) == ("/today/", "GET")
    assert target["params"] == {"title": "title", "text": "text", "url": "url"}

    shared = {"title": "A page", "text": "Our podcast  episode is out", "url": "https://example.com/ep/1"}
    response = client.get("/today/", shared)
    field = response.context["form"]["text"]
    assert field.value() == "Our podcast episode is out https://example.com/ep/1"
    assert "autofocus" in str(field)
    # A link already in the text is not added twice; a title alone is the words.
    assert client.get("/today/", {"text": "Read https://x.io", "url": "https://x.io"}).context["form"][
        "text"
    ].value() == ("Read https://x.io")
    assert client.get("/today/", {"title": "Just a title"}).context["form"]["text"].value() == "Just a title"
    assert client.get("/today/").context["form"]["text"].value() is None


def test_a_share_while_signed_out_comes_back_after_sign_in(client, db):
    response = client.get("/today/", {"text": "A win"})
    assert response.status_code == 302 and "next=/today/%3Ftext%3DA%2Bwin" in response.url


def test_the_service_worker_is_served_from_the_root_uncached_with_this_deploys_release(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    source = response.content.decode()
    first, rest = source.split("\n", 1)
    assert first.startswith("const RELEASE = ") and first.endswith(";")
    release = json.loads(first.removeprefix("const RELEASE = ").removesuffix(";"))
    assert release["offline"] == "/offline/" and release["static"] == "/static/"
    assert '"fetch"' in rest  # a fetch handler: one of Chromium's criteria to install
    for url in release["shell"]:
        static_file(url)
    assert "/static/css/app.css" in release["shell"] and "/static/js/offline.js" in release["shell"]


def test_the_workers_version_changes_with_any_file_it_caches(db, monkeypatch, tmp_path):
    before = views.release()["version"]
    assert views.release()["version"] == before  # the same files, the same version
    changed = tmp_path / "app.css"
    changed.write_text(Path(finders.find("css/app.css")).read_text() + "\n/* next deploy */\n")
    real_find = finders.find
    monkeypatch.setattr(finders, "find", lambda name: str(changed) if name == "css/app.css" else real_find(name))
    assert views.release()["version"] != before


def test_the_offline_page_is_the_same_for_everyone_and_keeps_a_win(client, make_person):
    anonymous = client.get("/offline/").content.decode()
    client.force_login(make_person(display_name="Zed Private"))
    signed_in = client.get("/offline/").content.decode()
    assert signed_in == anonymous  # cached on a phone: nothing of a person, no token
    assert "You are offline" in anonymous and "Zed Private" not in signed_in
    assert "csrfmiddlewaretoken" not in anonymous and "data-person" not in anonymous
    assert 'data-outbox="always"' in anonymous and 'id="outbox"' in anonymous


def test_csp_allows_the_worker_and_the_manifest_from_this_site_only(client, db):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


def test_todays_post_box_is_the_outboxs_and_names_its_person(client, make_person):
    person = make_person()
    client.force_login(person)
    html = client.get("/today/").content.decode()
    assert 'data-outbox="offline"' in html and 'id="outbox"' in html and 'id="outbox-saved"' in html
    assert f'data-person="{person.pk}"' in html


def test_a_replayed_post_says_it_was_stored_before(client, make_team):
    team = make_team(members=0)
    client.force_login(team.lead)
    post = {"text": "Sent twice", "client_key": str(uuid.uuid4()), "team": team.slug}
    first = client.post("/wins/", post, headers={"HX-Request": "true"})
    again = client.post("/wins/", post, headers={"HX-Request": "true"})
    assert "win-posted" in first["HX-Trigger"]
    assert "win-already-posted" in again["HX-Trigger"] and "win-posted" not in again["HX-Trigger"]
    assert Win.objects.filter(text="Sent twice").count() == 1
