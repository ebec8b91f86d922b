"""Benchmark the team dashboard: SQL queries per render, and render time over HTTP against /healthz, cold (its
figures rendered) and warm (the lead's 30-second refresh with nothing new: a cache read).

Run it with `make bench` (or `.venv/bin/python bench/dashboard.py`). It:

1. prepares a dedicated PostgreSQL database, `microwins_bench`: creates it if missing, migrates it, loads
   `seed_demo --teams 20 --members 50 --days 365` once (later runs reuse the data; `--reseed` starts over),
   adds a 5-member team, "Bench Five", for the query-count comparison, and runs VACUUM ANALYZE (as autovacuum
   would in production: plans on a freshly loaded table without statistics are guesses);
2. counts the SQL queries of one (cold) dashboard render for the 5-member team and for a 50-member team,
   in-process with Django's test Client, signed in as each team's lead;
3. serves the app with gunicorn (production settings, one sync worker) on a free local port, and times, one
   request at a time, in alternating blocks: the 50-member team's dashboard cold (the team's cache version
   is dropped before each request, as a write to the team does), its refresh warm, its year heatmap (loaded
   when it scrolls into view), and `/healthz`;
4. prints a report, ending with one line of key=value pairs for scripts.

`--path /t/{slug}/` times another team page instead, as the cold page (the warm one stays the refresh).
"""

import argparse
import os
import random
import sys
import time
import uuid
from datetime import timedelta

from common import (
    TimeLimitExceeded,
    bench_env,
    get,
    gunicorn,
    large_team,
    prepare_database,
    session_cookie,
    setup_django,
    summary,
    time_limit,
    vacuum_analyze,
)

DASHBOARD = "/t/{slug}/dashboard/"
REFRESH = "/t/{slug}/dashboard/?part=live"
YEAR = "/t/{slug}/dashboard/?part=year"
WINS = "/t/{slug}/dashboard/?part=wins"
HTMX = {"HX-Request": "true"}
SMALL_TEAM = "Bench Five"
SMALL_TEAM_DAYS = 90

TIME_LIMIT = 600  # seconds for the whole run, seeding included
WARMUP = 5
DASHBOARD_RUNS = 100
HEALTHZ_RUNS = 400
BLOCKS = 5
TARGET_QUERIES = 12
TARGET_COLD = 30
TARGET_WARM = 8


def main():
    args = parse_args()
    time_limit(args.time_limit)
    env = bench_env()
    started, load = time.monotonic(), os.getloadavg()[0]  # other work on the machine makes the timings noisy

    prepare_database(env, reseed=args.reseed)
    setup_django(env)
    small, large = small_team(), large_team()
    vacuum_analyze()
    queries_5 = count_queries(small, args.path)
    queries_50 = count_queries(large, args.path)
    cookie = session_cookie(large.person)

    with gunicorn(env) as port:
        url = args.path.format(slug=large.team.slug)
        check_signed_in(port, url, cookie)
        cold = Page(url, cookie, args.runs, before=lambda: drop_version(large.team))
        warm = Page(REFRESH.format(slug=large.team.slug), cookie, args.runs, headers=HTMX)
        year = Page(YEAR.format(slug=large.team.slug), cookie, args.runs // 4, headers=HTMX)
        wins = Page(WINS.format(slug=large.team.slug), cookie, args.runs // 4, headers=HTMX)
        healthz = Page("/healthz", None, args.healthz_runs)
        time_interleaved(port, cold, warm, year, wins, healthz)

    pages = (cold, warm, year, wins, healthz)
    report(args.path, small, large, queries_5, queries_50, pages, load, time.monotonic() - started)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reseed", action="store_true", help="drop the bench database and seed it again")
    parser.add_argument(
        "--path", default=DASHBOARD, help=f"page to time cold; {{slug}} is the team's (default {DASHBOARD})"
    )
    parser.add_argument(
        "--runs", type=int, default=DASHBOARD_RUNS, help=f"timed requests of each page (default {DASHBOARD_RUNS})"
    )
    parser.add_argument(
        "--healthz-runs", type=int, default=HEALTHZ_RUNS, help=f"timed /healthz requests (default {HEALTHZ_RUNS})"
    )
    parser.add_argument("--time-limit", type=int, default=TIME_LIMIT, help="abort after this many seconds")
    args = parser.parse_args()
    if "{slug}" not in args.path:
        parser.error("--path needs {slug}, e.g. /t/{slug}/")
    return args


def drop_version(team):
    """What a write to the team does to its cached figures: the next render is cold."""
    from django.core.cache import cache

    from teams.versions import version_key

    cache.delete(version_key(team.pk))


# --- The database -------------------------------------------------------------------------------------------


def small_team():
    """The lead's membership of a 5-member team, created (with some history) the first time."""
    from django.db.models import Count

    from teams.models import Membership, Team

    team = Team.objects.alias(size=Count("memberships")).filter(size=5).order_by("pk").first()
    if team is None:
        team = create_small_team()
    give_goals_plans_and_blockers(team)
    membership = Membership.objects.select_related("team", "person").filter(team=team, role="lead").first()
    membership.size = team.memberships.count()
    return membership


def give_goals_plans_and_blockers(team):
    """The same shape of data as the seeded teams (seed_demo's own helpers), so query counts compare like with
    like: team and personal goals, plans, blockers, and the showcase's shared measure goal."""
    from goals.management.commands.seed_demo import make_goals, make_plans, make_showcase_goals
    from goals.models import Goal

    people = [m.person for m in team.memberships.select_related("person").order_by("pk")]
    if not Goal.objects.filter(team=team).exists():
        make_goals(team, people, SMALL_TEAM_DAYS)
        make_plans(random.Random(5), team, people)
    if not Goal.objects.filter(shared_with=team, kind=Goal.Kind.MEASURE).exists():
        make_showcase_goals(team, people)


def create_small_team():
    """Five people, led by the first, with a few weeks of wins posted through the app's own service."""
    from allauth.account.models import EmailAddress

    from teams.models import Membership, Person
    from teams.services import create_team
    from wins.services import record_win

    print(f"Creating the 5-member team {SMALL_TEAM!r} …", flush=True)
    started = time.monotonic()
    rng = random.Random(5)
    people = []
    for i in range(5):
        email = f"bench5-{i}@example.com"
        person = Person.objects.create_user(email, None, display_name=f"Bench Person {i}", time_zone="Europe/Paris")
        EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
        people.append(person)
    team = create_team(lead=people[0], name=SMALL_TEAM, time_zone="Europe/Paris", score_sheet="delivery-team")
    Membership.objects.bulk_create(Membership(team=team, person=p) for p in people[1:])
    kinds = list(team.score_kinds.all())
    for person in people:
        today = person.local_today()
        for back in range(SMALL_TEAM_DAYS, -1, -1):
            if rng.random() < 0.7:
                for _ in range(rng.choice([1, 2, 3])):
                    kind = rng.choice(kinds)
                    record_win(
                        author=person,
                        team=team,
                        kind=kind,
                        text=f"{kind.name}: a small step",
                        day=today - timedelta(days=back),
                        client_key=uuid.uuid4(),
                        limited=False,  # three months made at once: no person posts this fast
                    )
    print(f"Created in {time.monotonic() - started:.0f} s, with {team.wins.count()} wins")
    return team


# --- In-process measurements --------------------------------------------------------------------------------


def count_queries(membership, path):
    """SQL queries of one render, signed in as the team's lead; after one warm-up render (first visits write)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)  # a 500 is reported as such; Django logs its traceback
    client.force_login(membership.person)
    url = path.format(slug=membership.team.slug)
    expect_ok(url, client.get(url).status_code)
    drop_version(membership.team)  # cold: figures a refresh kept (in an earlier run, say) are not read
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    expect_ok(url, response.status_code)
    return len(captured.captured_queries)


def expect_ok(url, status):
    if status != 200:
        hint = " (the dashboard may not exist yet: try --path /t/{slug}/)" if status == 404 else ""
        sys.exit(f"GET {url} answered {status}, not 200{hint}")


# --- Over HTTP -------------------------------------------------------------------------------------------------


def check_signed_in(port, url, cookie):
    """The page must render for the lead over HTTP, not redirect to the sign-in page."""
    status, location, _ = get(port, url, cookie)
    if status != 200:
        sys.exit(f"GET {url} over HTTP answered {status}" + (f" to {location}" if location else "") + ", not 200")


class Page:
    """A page to time: its URL, cookie and headers, how many timed requests, and what to do before each."""

    def __init__(self, url, cookie, runs, headers=None, before=None):
        self.url, self.cookie, self.runs, self.headers, self.before = url, cookie, runs, headers or {}, before
        self.times = []

    def fetch(self, port):
        if self.before:
            self.before()
        status, location, elapsed = get(port, self.url, self.cookie, self.headers)
        if status != 200:
            sys.exit(f"GET {self.url} answered {status}" + (f" to {location}" if location else "") + " during timing")
        return elapsed


def time_interleaved(port, *pages):
    """Time each page, one request at a time, after WARMUP untimed requests each.

    The pages take turns in BLOCKS rounds (a fifth of each page's runs at a time), so a change in the
    machine's speed during the run (a busy neighbour on a shared host) moves every median alike, while each
    page still runs warm, as in a block of its own.
    """
    for page in pages:
        for _ in range(WARMUP):
            page.fetch(port)
    for i in range(BLOCKS):
        for page in pages:
            while len(page.times) < page.runs * (i + 1) // BLOCKS:
                page.times.append(page.fetch(port))


# --- The report -------------------------------------------------------------------------------------------------


def report(path, small, large, queries_5, queries_50, pages, load, seconds):
    cold, warm, year, wins, healthz = pages
    (cold_median, cold_p95), (warm_median, warm_p95) = summary(cold.times), summary(warm.times)
    wins_median, wins_p95 = summary(wins.times)
    (year_median, year_p95), (health_median, health_p95) = summary(year.times), summary(healthz.times)
    ratio_cold, ratio_warm = cold_median / health_median, warm_median / health_median
    queries_ok = queries_5 == queries_50 <= TARGET_QUERIES
    print()
    print(f"Page measured cold: {path}")
    print()
    print("SQL queries per cold render (test Client, signed in as the team's lead)")
    for membership, count in [(small, queries_5), (large, queries_50)]:
        print(f"  {f'{membership.team.name} ({membership.size} members)':<34} {count:>4}")
    print(f"  target: equal and at most {TARGET_QUERIES}: {'met' if queries_ok else 'NOT met'}")
    print()
    print("Over HTTP: gunicorn, DEBUG=0, one sync worker, one request at a time, in alternating blocks")
    print(f"  {'':<44} {'runs':>5} {'median ms':>10} {'p95 ms':>8}")
    rows = [
        (f"{large.team.name}, cold (figures rendered)", cold, cold_median, cold_p95),
        ("the 30-second refresh, warm (nothing new)", warm, warm_median, warm_p95),
        ("the year heatmap (when it scrolls into view)", year, year_median, year_p95),
        ("the week's wins (when they scroll into view)", wins, wins_median, wins_p95),
        ("/healthz", healthz, health_median, health_p95),
    ]
    for label, page, median, p95 in rows:
        print(f"  {label:<44} {len(page.times):>5} {median:>10.2f} {p95:>8.2f}")
    print(f"  ratio cold / healthz (medians): {ratio_cold:.1f}   target: at most {TARGET_COLD}: ", end="")
    print("met" if ratio_cold <= TARGET_COLD else "NOT met")
    print(f"  ratio warm / healthz (medians): {ratio_warm:.1f}   target: at most {TARGET_WARM}: ", end="")
    print("met" if ratio_warm <= TARGET_WARM else "NOT met")
    print(f"  machine load when the run started: {load:.2f} (1-minute average, {os.cpu_count()} cores)")
    print()
    print(f"Finished in {seconds:.0f} s")
    print(
        f"dashboard_queries_5={queries_5} dashboard_queries_50={queries_50} cold_median_ms={cold_median:.1f}"
        f" warm_median_ms={warm_median:.2f} year_median_ms={year_median:.1f} wins_median_ms={wins_median:.1f}"
        f" healthz_median_ms={health_median:.2f}"
        f" ratio_cold={ratio_cold:.1f} ratio_warm={ratio_warm:.1f}"
    )


if __name__ == "__main__":
    try:
        main()
    except TimeLimitExceeded as error:
        sys.exit(f"Aborted: {error}")
