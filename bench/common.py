"""What the benchmarks share: the bench database, Django in this process, gunicorn on a free local port,
plain HTTP requests to it, and a restart of the local PostgreSQL for `make load`'s fault phase. Everything is
bounded: a timeout on every request and subprocess, and gunicorn is always stopped."""

import http.client
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_HOST, PG_PORT = "127.0.0.1", "5432"
PG_SERVER = f"postgres://postgres@{PG_HOST}:{PG_PORT}"
PG_CONFIG = Path("/etc/postgresql")  # Debian's clusters: one folder per major version
DB_NAME = "microwins_bench"
DATABASE_URL = f"{PG_SERVER}/{DB_NAME}"
SEED_ARGS = ["--teams", "20", "--members", "50", "--days", "365", "--not-for-development"]  # DEBUG is off
DEMO_LEAD = "lead@example.com"  # seed_demo's lead: leads the first team, of 50
REQUEST_TIMEOUT = 30  # seconds per HTTP request


class TimeLimitExceeded(Exception):
    pass


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


def prepare_database(env, *, reseed):
    """The bench database, migrated and seeded once (`reseed` starts over)."""
    reseed = reseed or migrated_before_the_squash()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=10) as conn:
        if reseed:
            print(f"Dropping {DB_NAME} to seed it again")
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


def migrated_before_the_squash():
    """Whether the bench database was made by the migrations that came before the initial ones (it can't migrate)."""
    try:
        with psycopg.connect(DATABASE_URL, connect_timeout=10) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM django_migrations WHERE app = 'teams'")}
    except psycopg.Error:
        return False  # no database yet, or no migrations table: nothing to start over
    return bool(names) and "0001_initial" not in names


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


def vacuum_analyze():
    """What autovacuum does in production (it is off on some servers): without statistics, plans are guesses."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def large_team():
    """The demo lead's membership of the first seeded team, which has 50 members."""
    from teams.models import Membership

    membership = Membership.objects.select_related("team", "person").get(person__email=DEMO_LEAD, role="lead")
    membership.size = membership.team.memberships.count()
    return membership


def session_cookie(person):
    """A session for the person, in the bench database: the cookie gunicorn will accept (sent as a header,
    because the session cookie is `Secure` when DEBUG is off and gunicorn is reached over plain HTTP)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(person)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


@contextmanager
def gunicorn(env, workers=1):
    """Serve config.wsgi on a free local port with sync workers; yields the port, always stops the server."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "sync", "--timeout", str(REQUEST_TIMEOUT)]
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


def get(port, url, cookie, headers=None, timeout=REQUEST_TIMEOUT):
    """One GET on a fresh connection (sync workers close each one); returns (status, Location, seconds)."""
    headers = ({"Cookie": cookie} if cookie else {}) | (headers or {})
    status, location, _, elapsed = request(port, "GET", url, headers)
    return status, location, elapsed


def request(port, method, url, headers, body=None, timeout=REQUEST_TIMEOUT):
    """One request on a fresh connection; returns (status, Location, body, seconds)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        started = time.perf_counter()
        conn.request(method, url, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        return response.status, response.getheader("Location"), content, time.perf_counter() - started
    finally:
        conn.close()


def summary(timings):
    """Median and 95th percentile, in milliseconds."""
    ms = [t * 1000 for t in timings]
    return statistics.median(ms), statistics.quantiles(ms, n=20, method="inclusive")[18]


def time_limit(seconds):
    """Abort the run (TimeLimitExceeded) after `seconds` of wall time, seeding included."""
    signal.signal(signal.SIGALRM, on_time_limit)
    signal.alarm(seconds)


def pg_is_ready():
    """Whether PostgreSQL accepts connections now (`pg_isready`)."""
    command = ["pg_isready", "-q", "-h", PG_HOST, "-p", PG_PORT, "-t", "1"]
    try:
        return subprocess.run(command, timeout=5, check=False).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def pg_cluster():
    """The Debian cluster's command (`pg_ctlcluster VERSION main`), or why this machine can't restart it."""
    if not shutil.which("pg_ctlcluster") or not shutil.which("pg_isready") or not PG_CONFIG.is_dir():
        return None, "no pg_ctlcluster, pg_isready or /etc/postgresql here"
    versions = sorted((p.name for p in PG_CONFIG.iterdir() if p.name.isdigit()), key=int)
    if not versions:
        return None, f"no cluster in {PG_CONFIG}"
    if os.geteuid() != 0:
        return None, "restarting PostgreSQL needs root"
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main"], None


def others_on_postgres():
    """Processes that a restart of PostgreSQL would break: test suites and seeding."""
    result = subprocess.run(["pgrep", "-af", "seed_demo|pytest"], capture_output=True, text=True, timeout=10)
    return result.stdout.splitlines()


def wait_until_alone(max_seconds, poll=30):
    """Wait (polling every `poll` s, at most `max_seconds`) until no test suite or seeding uses PostgreSQL; the
    run's time limit is paused meanwhile. Returns whether it is alone now."""
    paused = signal.alarm(0)
    try:
        deadline = time.monotonic() + max_seconds
        while busy := others_on_postgres():
            if time.monotonic() + poll > deadline:
                return False
            print(f"Waiting for these to finish before restarting PostgreSQL: {'; '.join(busy)[:300]}", flush=True)
            time.sleep(poll)
        return True
    finally:
        if paused:
            signal.alarm(paused)


def restart_postgres(cluster, seconds=60):
    """Restart PostgreSQL and watch it with `pg_isready`: (started, down, ready) in wall-clock seconds, `down`
    the first moment it refused connections, `ready` the first it accepted them again."""
    started = time.time()
    process = subprocess.Popen([*cluster, "restart"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    down = ready = None
    try:
        while time.time() < started + seconds:
            is_ready, now = pg_is_ready(), time.time()
            if not is_ready and down is None:
                down = now
            if is_ready and (down is not None or process.poll() is not None):
                ready, down = now, down or started
                break
            time.sleep(0.02)
        _, errors = process.communicate(timeout=seconds)
        if process.returncode:
            print(f"pg_ctlcluster restart exited with {process.returncode}: {errors.strip()}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        if not pg_is_ready():  # never leave the machine without its database
            subprocess.run([*cluster, "start"], timeout=seconds, check=False)
    if ready is None:
        sys.exit(f"PostgreSQL did not accept connections within {seconds} s of its restart")
    return started, down, ready
