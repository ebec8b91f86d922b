"""Page weight on a first signed-in load, in production mode, against the budgets of issue #17.

Run it with `make weight` (or `.venv/bin/python bench/weight.py`). It:

1. loads the demo (`seed_demo`: 3 teams of 6, 120 days) into a SQLite file of its own, `var/weight.sqlite3`
   (made afresh each run; page weight does not depend on the database engine), and runs collectstatic, so that
   static files have hashed, precompressed names as in production;
2. serves the app with gunicorn and production settings (DEBUG=0) on a free local port;
3. opens Today in Debian's Chromium on a phone (390x844) with an empty cache, signed in as the demo lead, waits
   until the network is idle and the service worker (if any) is ready, and adds up every response the browser
   received: headers and body as sent (compressed where the server compressed it), the service worker's own
   requests included, then what Chromium fetches to judge the app installable (the manifest, an icon); any request
   to another host is a third-party request;
4. asks for the demo lead's team dashboard once more, as the browser does (Accept-Encoding: gzip, br), and
   weighs its HTML;
5. prints what it found, one line of key=value figures, and exits 1 if a budget is exceeded.
"""

import argparse
import gzip
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from common import ROOT, bench_env, gunicorn, manage, request, session_cookie, setup_django

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DATABASE = ROOT / "var" / "weight.sqlite3"
DEMO_LEAD = "lead@example.com"
ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}  # what Chromium sends

TODAY_BUDGET = 60 * 1024  # bytes transferred in all on a first load of /today/
DASHBOARD_BUDGET = 25 * 1024  # bytes of the dashboard's HTML, compressed


def weigh_first_load(port, cookie, path):
    """Every response of a first load of `path` in a fresh phone-sized Chromium: [(url, bytes, what)]."""
    from playwright.sync_api import sync_playwright

    name, value = cookie.split("=", 1)
    seen = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE)
        context.add_cookies([{"name": name, "value": value, "domain": "127.0.0.1", "path": "/"}])

        def finished(req):
            sizes = req.sizes()
            response = req.response()
            if response is None or response.from_service_worker:
                return  # answered by the worker from its cache: nothing crossed the network
            kind = "service worker" if req.service_worker else req.resource_type
            seen.append((req.url, sizes["responseHeadersSize"] + sizes["responseBodySize"], kind))

        context.on("requestfinished", finished)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}{path}", wait_until="networkidle")
        if page.evaluate("'serviceWorker' in navigator && !!navigator.serviceWorker.getRegistration"):
            page.evaluate(
                "navigator.serviceWorker.getRegistration().then(r => r ? navigator.serviceWorker.ready : null)"
            )
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1000)  # a script, not a test: let the worker finish caching the shell
        loaded = len(seen)
        # Then what Chromium fetches to judge the app installable (the manifest and its icon), listed apart.
        context.new_cdp_session(page).send("Page.getInstallabilityErrors")
        page.wait_for_timeout(1000)
        seen[loaded:] = [(url, size, "install check") for url, size, _ in seen[loaded:]]
        browser.close()
    return seen


def weigh_html(port, cookie, path):
    """One page's HTML (or an htmx part's, for a path with `part=`) as sent: compressed if the server compressed it."""
    htmx = {"HX-Request": "true"} if "part=" in path else {}
    status, _, body, _ = request(port, "GET", path, {"Cookie": cookie} | ACCEPT | htmx)
    if status != 200:
        sys.exit(f"GET {path} answered {status}")
    return body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is needed (apt-get install chromium)")
    env = bench_env() | {"DATABASE_URL": f"sqlite:///{DATABASE}"}
    for stale in DATABASE.parent.glob(DATABASE.name + "*"):
        stale.unlink()
    print("Loading the demo into", DATABASE.relative_to(ROOT), "…", flush=True)
    manage(env, "migrate", "--noinput", quiet=True)
    manage(env, "seed_demo", "--not-for-development", quiet=True)
    manage(env, "collectstatic", "--noinput", quiet=True)
    setup_django(env)
    from teams.models import Membership

    lead = Membership.objects.select_related("team", "person").get(person__email=DEMO_LEAD, role="lead")
    cookie = session_cookie(lead.person)
    dashboard = f"/t/{lead.team.slug}/dashboard/"

    with gunicorn(env) as port:
        started = time.monotonic()
        today = weigh_first_load(port, cookie, "/today/")
        html = {}
        for path in ("/today/", dashboard, "/today/?part=year", dashboard + "?part=year"):
            html[path] = weigh_html(port, cookie, path)
        elapsed = time.monotonic() - started

    print(f"\nFirst signed-in load of /today/ on a phone ({len(today)} responses, {elapsed:.1f} s):")
    for url, size, kind in sorted(today, key=lambda row: -row[1]):
        print(f"  {size:>7,} B  {kind:<14} {urlsplit(url).path}")
    total = sum(size for _, size, _ in today)
    third_party = sorted({urlsplit(url).netloc for url, _, _ in today} - {f"127.0.0.1:{port}"})
    print(f"  {total:>7,} B  in all (budget {TODAY_BUDGET:,})")
    print(f"  third-party hosts: {', '.join(third_party) or 'none'}")

    print("\nHTML alone, as a browser asks for it (the year heatmaps load when they scroll into view):")
    figures = {}
    for path, sent in html.items():
        plain = len(gzip.decompress(sent)) if sent[:2] == b"\x1f\x8b" else len(sent)
        print(f"  {path}: {len(sent):,} B sent, {plain:,} B uncompressed")
        figures[path] = (len(sent), plain)
    today_html, dash_html = figures["/today/"], figures[dashboard]
    over = []
    if total > TODAY_BUDGET:
        over.append(f"/today/ weighs {total:,} B, over {TODAY_BUDGET:,}")
    if dash_html[0] > DASHBOARD_BUDGET:
        over.append(f"the dashboard's HTML is {dash_html[0]:,} B, over {DASHBOARD_BUDGET:,}")
    if third_party:
        over.append("third-party requests: " + ", ".join(third_party))
    print(
        f"\ntoday_total_bytes={total} today_requests={len(today)} today_html_bytes={today_html[0]} "
        f"today_html_raw_bytes={today_html[1]} dashboard_html_bytes={dash_html[0]} "
        f"dashboard_html_raw_bytes={dash_html[1]} today_year_bytes={figures['/today/?part=year'][0]} "
        f"dashboard_year_bytes={figures[dashboard + '?part=year'][0]} third_party={len(third_party)} "
        f"within_budget={'no' if over else 'yes'}"
    )
    if over:
        sys.exit("Over budget: " + "; ".join(over))


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
