"""Benchmark the team dashboard: SQL queries per render, and render time over HTTP against /healthz.

Run it with `make bench` (or `.venv/bin/python bench/dashboard.py`). It:

1. prepares a dedicated PostgreSQL database, `microwins_bench`: creates it if missing, migrates it, loads
   `seed_demo --teams 20 --members 50 --days 365` once (later runs reuse the data; `--reseed` starts over),
   adds a 5-member team, "Bench Five", for the query-count comparison, and runs VACUUM ANALYZE (as autovacuum
   would in production: plans on a freshly loaded table without statistics are guesses);
2. counts the SQL queries of one dashboard render for the 5-member team and for a 50-member team, in-process
   with Django's test Client, signed in as each team's lead;
3. serves the app with gunicorn (production settings, one sync worker) on a free local port, and times,
   one request at a time, the 50-member team's dashboard and `/healthz`, in alternating blocks;
4. prints a report, ending with one line of key=value pairs for scripts.

`--path /t/{slug}/` measures another team page instead (the team feed stands in until the dashboard exists).
Everything is bounded: a wall-time limit for the whole run, a timeout on every request and subprocess, and
gunicorn is always stopped.
"""

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB_NAME = "microwins_bench"
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
DASHBOARD = "/t/{slug}/dashboard/"
SEED_ARGS = ["--teams", "20", "--members", "50", "--days", "365"]
DEMO_LEAD = "lead@example.com"  # seed_demo's lead: leads the first team, of 50
SMALL_TEAM = "Bench Five"
SMALL_TEAM_DAYS = 90

TIME_LIMIT = 600  # seconds for the whole run, seeding included
REQUEST_TIMEOUT = 30  # seconds per HTTP request
WARMUP = 5
DASHBOARD_RUNS = 100
HEALTHZ_RUNS = 400
BLOCKS = 5
TARGET_QUERIES = 12
TARGET_RATIO = 25


class TimeLimitExceeded(Exception):
    pass


def main():
    args = parse_args()
    signal.signal(signal.SIGALRM, on_time_limit)
    signal.alarm(args.time_limit)
    env = bench_env()
    started, load = time.monotonic(), os.getloadavg()[0]  # other work on the machine makes the timings noisy

    prepare_database(env, reseed=args.reseed)
    setup_django(env)
    small, large = small_team(), large_team()
    vacuum_analyze()
    queries_5 = count_queries(small, args.path)
    queries_50 = count_queries(large, args.path)
    cookie = session_cookie(large)

    with gunicorn(env) as port:
        url = args.path.format(slug=large.team.slug)
        check_signed_in(port, url, cookie)
        dashboard, healthz = time_interleaved(port, (url, cookie, args.runs), ("/healthz", None, args.healthz_runs))

    timings = {"dashboard": dashboard, "healthz": healthz, "load": load}
    report(args.path, small, large, queries_5, queries_50, timings, time.monotonic() - started)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reseed", action="store_true", help=f"drop and recreate the {DB_NAME} database")
    parser.add_argument(
        "--path", default=DASHBOARD, help=f"page to measure; {{slug}} is the team's (default {DASHBOARD})"
    )
    parser.add_argument(
        "--runs", type=int, default=DASHBOARD_RUNS, help=f"timed dashboard requests (default {DASHBOARD_RUNS})"
    )
    parser.add_argument(
        "--healthz-runs", type=int, default=HEALTHZ_RUNS, help=f"timed /healthz requests (default {HEALTHZ_RUNS})"
    )
    parser.add_argument("--time-limit", type=int, default=TIME_LIMIT, help="abort after this many seconds")
    args = parser.parse_args()
    if "{slug}" not in args.path:
        parser.error("--path needs {slug}, e.g. /t/{slug}/")
    return args


def on_time_limit(signum, frame):
    raise TimeLimitExceeded("the benchmark ran out of time (see --time-limit)")


def bench_env():
    """Production settings on the bench database; one random key, shared by this process and gunicorn."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=DATABASE_URL,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- The database -------------------------------------------------------------------------------------------


def prepare_database(env, *, reseed):
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=10) as conn:
        if reseed:
            print(f"Dropping {DB_NAME} (--reseed)")
            conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone():
            print(f"Creating database {DB_NAME}")
            conn.execute(f"CREATE DATABASE {DB_NAME}")
    manage(env, "migrate", "--noinput", quiet=True)
    with psycopg.connect(DATABASE_URL, connect_timeout=10) as conn:
        has_teams = conn.execute("SELECT EXISTS (SELECT 1 FROM teams_team)").fetchone()[0]
    if has_teams:
        print(f"Reusing the data already in {DB_NAME} (--reseed starts over)")
    else:
        print(f"Seeding {DB_NAME}: seed_demo {' '.join(SEED_ARGS)} …", flush=True)
        started = time.monotonic()
        manage(env, "seed_demo", *SEED_ARGS, quiet=True)
        print(f"Seeded in {time.monotonic() - started:.0f} s")
    manage(env, "collectstatic", "--noinput", quiet=True)  # DEBUG=0 serves hashed names from var/static


def manage(env, *command, quiet=False):
    """Run manage.py in a subprocess; its output is shown only when it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=quiet, text=True, check=False
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout or ''}{result.stderr or ''}")


def setup_django(env):
    """Load the app in this process, on the bench database, for the test Client (which sends Host: testserver)."""
    os.environ.update(env, ALLOWED_HOSTS="127.0.0.1,testserver")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def large_team():
    """The demo lead's membership of the first seeded team, which has 50 members."""
    from teams.models import Membership

    membership = Membership.objects.select_related("team", "person").get(person__email=DEMO_LEAD, role="lead")
    membership.size = membership.team.memberships.count()
    return membership


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
    """The same shape of data as the seeded teams (seed_demo's own helpers), so query counts compare like with like."""
    from goals.management.commands.seed_demo import make_goals, make_plans
    from goals.models import Goal

    if Goal.objects.filter(team=team).exists():
        return
    people = [m.person for m in team.memberships.select_related("person").order_by("pk")]
    make_goals(team, people, SMALL_TEAM_DAYS)
    make_plans(random.Random(5), team, people)


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
                    )
    print(f"Created in {time.monotonic() - started:.0f} s, with {team.wins.count()} wins")
    return team


def vacuum_analyze():
    """What autovacuum does in production (it is off on some servers): without statistics, plans are guesses."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    expect_ok(url, response.status_code)
    return len(captured.captured_queries)


def session_cookie(membership):
    """A session for the team's lead, in the bench database: the cookie gunicorn will accept."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(membership.person)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def expect_ok(url, status):
    if status != 200:
        hint = " (the dashboard may not exist yet: try --path /t/{slug}/)" if status == 404 else ""
        sys.exit(f"GET {url} answered {status}, not 200{hint}")


# --- Over HTTP -------------------------------------------------------------------------------------------------


@contextmanager
def gunicorn(env):
    """Serve config.wsgi on a free local port with one sync worker; yields the port, always stops the server."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--worker-class", "sync", "--timeout", str(REQUEST_TIMEOUT)]
    with tempfile.NamedTemporaryFile("w", prefix="microwins-bench-gunicorn-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(process, port, log.name)
            print(f"gunicorn serves on 127.0.0.1:{port} (its log: {log.name})")
            yield port
        finally:
            stop(process)


def wait_until_healthy(process, port, log_name, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}:\n{tail(log_name)}")
        try:
            if get(port, "/healthz", None, timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer /healthz within {seconds} s:\n{tail(log_name)}")


def stop(process):
    """Terminate, then kill if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def tail(path, lines=30):
    return "\n".join(Path(path).read_text().splitlines()[-lines:])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, url, cookie, timeout=REQUEST_TIMEOUT):
    """One GET on a fresh connection (sync workers close each one); returns (status, Location, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        started = time.perf_counter()
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = time.perf_counter() - started
        return response.status, response.getheader("Location"), elapsed
    finally:
        conn.close()


def check_signed_in(port, url, cookie):
    """The page must render for the lead over HTTP, not redirect to the sign-in page."""
    status, location, _ = get(port, url, cookie)
    if status != 200:
        sys.exit(f"GET {url} over HTTP answered {status}" + (f" to {location}" if location else "") + ", not 200")


def time_interleaved(port, *pages):
    """Seconds per request for each (url, cookie, runs), one request at a time, after WARMUP untimed requests each.

    The pages take turns in BLOCKS rounds (a fifth of each page's runs at a time), so a change
    in the machine's speed during the run (a busy neighbour on a shared host) moves both medians alike, while
    each page still runs warm, as in a block of its own.
    """
    timings = [[] for _ in pages]
    for url, cookie, _ in pages:
        for _ in range(WARMUP):
            expect_200(port, url, cookie)
    for i in range(BLOCKS):
        for (url, cookie, runs), times in zip(pages, timings, strict=True):
            while len(times) < runs * (i + 1) // BLOCKS:
                times.append(expect_200(port, url, cookie))
    return timings


def expect_200(port, url, cookie):
    status, location, elapsed = get(port, url, cookie)
    if status != 200:
        sys.exit(f"GET {url} answered {status}" + (f" to {location}" if location else "") + " during timing")
    return elapsed


# --- The report -------------------------------------------------------------------------------------------------


def summary(timings):
    """Median and 95th percentile, in milliseconds."""
    ms = [t * 1000 for t in timings]
    return statistics.median(ms), statistics.quantiles(ms, n=20, method="inclusive")[18]


def report(path, small, large, queries_5, queries_50, timings, seconds):
    dashboard, healthz = timings["dashboard"], timings["healthz"]
    dash_median, dash_p95 = summary(dashboard)
    health_median, health_p95 = summary(healthz)
    ratio = dash_median / health_median
    queries_ok = queries_5 == queries_50 <= TARGET_QUERIES
    print()
    print(f"Page measured: {path}" + ("" if path == DASHBOARD else f"  (stand-in for the dashboard, {DASHBOARD})"))
    print()
    print("SQL queries per render (test Client, signed in as the team's lead)")
    for membership, count in [(small, queries_5), (large, queries_50)]:
        print(f"  {f'{membership.team.name} ({membership.size} members)':<34} {count:>4}")
    print(f"  target: equal and at most {TARGET_QUERIES}: {'met' if queries_ok else 'NOT met'}")
    print()
    print("Over HTTP: gunicorn, DEBUG=0, one sync worker, one request at a time, in alternating blocks")
    print(f"  {'':<28} {'runs':>5} {'median ms':>10} {'p95 ms':>8}")
    print(f"  {large.team.name + ' page':<28} {len(dashboard):>5} {dash_median:>10.1f} {dash_p95:>8.1f}")
    print(f"  {'/healthz':<28} {len(healthz):>5} {health_median:>10.2f} {health_p95:>8.2f}")
    print(f"  ratio page / healthz (medians): {ratio:.1f}   target: at most {TARGET_RATIO}: ", end="")
    print("met" if ratio <= TARGET_RATIO else "NOT met")
    print(f"  machine load when the run started: {timings['load']:.2f} (1-minute average, {os.cpu_count()} cores)")
    print()
    print(f"Finished in {seconds:.0f} s")
    print(
        f"dashboard_queries_5={queries_5} dashboard_queries_50={queries_50} dashboard_median_ms={dash_median:.1f}"
        f" dashboard_p95_ms={dash_p95:.1f} healthz_median_ms={health_median:.2f} ratio={ratio:.1f}"
    )


if __name__ == "__main__":
    try:
        main()
    except TimeLimitExceeded as error:
        sys.exit(f"Aborted: {error}")
