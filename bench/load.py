"""Load test: members of one team posting wins at once, as their phones do, against /healthz in the same run.

Run it with `make load` (or `.venv/bin/python bench/load.py`). It:

1. uses the bench database of `make bench` (`microwins_bench`, seeded once: 20 teams of 50 members);
2. counts the SQL queries of one htmx post in-process, on that database, as a member of the 50-member team;
3. serves the app with gunicorn as the container does (production settings, sync workers: cores + 1) on a
   free port on 127.0.0.1;
4. runs CLIENTS client processes, each signed in as a different member of that team, posting wins for
   `--seconds` (the htmx post of Today, with about 5% of the posts repeating an earlier key, as a retry on a
   bad connection does), then the same clients on `/healthz` alone for as long;
5. checks in the database that the wins stored are exactly the distinct keys that were accepted;
6. prints a report, ending with one line of key=value pairs for scripts.

Bounded: loopback only, a wall-time limit for the whole run, at most `--max-requests` per client and phase,
a timeout on every request, and gunicorn is always stopped.
"""

import argparse
import os
import random
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from urllib.parse import urlencode

from common import (
    TimeLimitExceeded,
    bench_env,
    gunicorn,
    large_team,
    prepare_database,
    request,
    session_cookie,
    setup_django,
    summary,
    time_limit,
)

CLIENTS = 8
SECONDS = 15
MAX_REQUESTS = 20_000  # per client and phase: a bound, far above what 15 s allow
REPEAT_SHARE = 0.05  # posts that repeat an earlier key: a double tap, a retry
TIME_LIMIT = 900
TARGET_RATIO = 0.05
TARGET_QUERIES = 12
CSRF = "loadtestloadtestloadtestloadtest"  # a 32-character CSRF secret, sent as cookie and header alike


def main():
    args = parse_args()
    time_limit(args.time_limit)
    env = bench_env()
    prepare_database(env, reseed=False)
    setup_django(env)
    team = large_team().team
    members = list(team.memberships.select_related("person").order_by("pk")[: args.clients])
    kind = team.score_kinds.first()
    post_queries = count_post_queries(members[0].person, team, kind)
    clients = [Client(session_cookie(m.person), team.slug, kind.pk, seed=n) for n, m in enumerate(members)]
    started = time.monotonic()
    with gunicorn(env, workers=(os.cpu_count() or 1) + 1) as port:
        posts = run_phase(port, clients, "post", args)
        healthz = run_phase(port, clients, "healthz", args)
    report(team, posts, healthz, post_queries, args, time.monotonic() - started)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=CLIENTS, help=f"concurrent members (default {CLIENTS})")
    parser.add_argument("--seconds", type=float, default=SECONDS, help=f"length of each phase (default {SECONDS})")
    parser.add_argument(
        "--max-requests", type=int, default=MAX_REQUESTS, help=f"per client and phase (default {MAX_REQUESTS})"
    )
    parser.add_argument("--time-limit", type=int, default=TIME_LIMIT, help="abort after this many seconds")
    return parser.parse_args()


def count_post_queries(person, team, kind):
    """SQL queries of one htmx post from Today, in-process on the bench database (its win stays, as any post)."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    client = TestClient()
    client.force_login(person)
    data = {"text": "Counted: one post", "client_key": str(uuid.uuid4()), "team": team.slug, "kind": kind.pk}
    client.post("/wins/", data | {"client_key": str(uuid.uuid4())}, headers={"HX-Request": "true"})  # warm-up
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/wins/", data, headers={"HX-Request": "true"})
    if response.status_code != 200 or b"Posted" not in response.content:
        sys.exit(f"The counted post failed: {response.status_code}")
    return len(captured.captured_queries)


class Client:
    """One member's phone: their session, the team they post to, and the keys the server accepted."""

    def __init__(self, session, team_slug, kind_id, seed):
        self.session, self.team_slug, self.kind_id, self.seed = session, team_slug, kind_id, seed

    def headers(self):
        return {
            "Cookie": f"{self.session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }


def run_phase(port, clients, phase, args):
    """Every client at once, each in its own process, for args.seconds; their results, merged."""
    deadline = time.time() + args.seconds
    with ProcessPoolExecutor(len(clients)) as pool:
        jobs = [pool.submit(run_client, port, c, phase, deadline, args.max_requests) for c in clients]
        results = [job.result(timeout=args.seconds + 120) for job in jobs]
    return {
        "latencies": [t for r in results for t in r["latencies"]],
        "statuses": [s for r in results for s in r["statuses"]],
        "accepted": {k for r in results for k in r["accepted"]},
        "seconds": args.seconds,
    }


def run_client(port, client, phase, deadline, max_requests):
    """One client's requests, one after another, until the deadline (or max_requests)."""
    rng = random.Random(client.seed)
    latencies, statuses, accepted, sent = [], [], set(), []
    while time.time() < deadline and len(latencies) < max_requests:
        if phase == "healthz":
            status, _, _, elapsed = request(port, "GET", "/healthz", {})
        else:
            key = rng.choice(sent) if sent and rng.random() < REPEAT_SHARE else str(uuid.uuid4())
            sent.append(key)
            body = urlencode(
                {"text": "A small win under load", "client_key": key, "team": client.team_slug, "kind": client.kind_id}
            )
            status, _, _, elapsed = request(port, "POST", "/wins/", client.headers(), body)
            if status == 200:
                accepted.add(key)
        latencies.append(elapsed)
        statuses.append(status)
    return {"latencies": latencies, "statuses": statuses, "accepted": accepted}


def stored_keys(keys):
    """{key: wins stored under it}, for the keys the load sent."""
    from django.db.models import Count

    from wins.models import Win

    stored = {}
    keys = sorted(keys)
    for i in range(0, len(keys), 5000):
        rows = Win.objects.filter(client_key__in=keys[i : i + 5000]).values_list("client_key").annotate(Count("id"))
        stored |= {str(key): n for key, n in rows}
    return stored


def report(team, posts, healthz, post_queries, args, seconds):
    post_rps = len(posts["latencies"]) / posts["seconds"]
    healthz_rps = len(healthz["latencies"]) / healthz["seconds"]
    p50, p95 = summary(posts["latencies"])
    stored = stored_keys(posts["accepted"])
    lost = len(posts["accepted"] - stored.keys())
    doubled = sum(n - 1 for n in stored.values() if n > 1)
    refused = sum(s != 200 for s in posts["statuses"])
    ratio = post_rps / healthz_rps
    print()
    print(f"{args.clients} members of {team.name} posting for {args.seconds:.0f} s, then /healthz for as long")
    print(f"  gunicorn, DEBUG=0, {(os.cpu_count() or 1) + 1} sync workers; PostgreSQL; loopback")
    print(
        f"  posts: {len(posts['latencies'])} ({post_rps:.0f}/s), p50 {p50:.1f} ms, p95 {p95:.1f} ms, not 200: {refused}"
    )
    print(f"  /healthz: {len(healthz['latencies'])} ({healthz_rps:.0f}/s)")
    print(f"  post / healthz throughput: {ratio:.3f}   target: at least {TARGET_RATIO}: ", end="")
    print("met" if ratio >= TARGET_RATIO else "NOT met")
    print(f"  queries per htmx post: {post_queries}   target: at most {TARGET_QUERIES}: ", end="")
    print("met" if post_queries <= TARGET_QUERIES else "NOT met")
    print(f"  keys accepted: {len(posts['accepted'])}; wins stored for them: {sum(stored.values())}")
    print(f"  wins lost: {lost}; wins doubled: {doubled}")
    print(f"Finished in {seconds:.0f} s")
    print(
        f"post_rps={post_rps:.0f} healthz_rps={healthz_rps:.0f} post_ratio={ratio:.3f} post_p50_ms={p50:.1f}"
        f" post_p95_ms={p95:.1f} post_queries={post_queries} wins_lost={lost} wins_doubled={doubled}"
    )


if __name__ == "__main__":
    try:
        main()
    except TimeLimitExceeded as error:
        sys.exit(f"Aborted: {error}")
