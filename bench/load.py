"""Load test: members of one team posting wins at once, as their phones do, against /healthz in the same run;
then the same posting while PostgreSQL restarts.

Run it with `make load` (or `.venv/bin/python bench/load.py`). It:

1. uses the bench database of `make bench` (`microwins_bench`, seeded once: 20 teams of 50 members);
2. counts the SQL queries of one htmx post in-process, on that database, as a member of the 50-member team;
3. serves the app with gunicorn as the container does (production settings, sync workers: cores + 1) on a
   free port on 127.0.0.1;
4. runs CLIENTS client processes, each signed in as a few members of that team in turn (the app takes at most
   30 wins a minute from one person), posting wins for `--seconds` (the htmx post of Today, with about 5% of
   the posts repeating an earlier key, as a retry on a bad connection does), then the same clients on
   `/healthz` alone for as long;
5. fault phase: the clients post again, as members of another seeded team, for `--fault-seconds`, and
   FAULT_LEAD seconds in PostgreSQL is restarted (`pg_ctlcluster ... restart`, once no test suite or seeding is
   running). A post answered 5xx is sent again with its key, as the phone does. Every response's status and
   time is kept; the gap runs from the restart's start until `pg_isready` sees the database accept
   connections. A 503 with the friendly page is expected in the gap; any other 5xx, a 503 outside the gap, a
   traceback or no answer is an error (`errors_5xx`). `recovery_s` is the time from the database accepting
   connections to the first post that is stored;
6. checks in the database that every win the server acknowledged (2xx with "Posted") is stored exactly once;
7. prints a report, ending with one line of key=value pairs for scripts.

Bounded: loopback only, a wall-time limit for the whole run (waiting for others to leave PostgreSQL aside, at
most WAIT_ALONE), at most `--max-requests` per client and phase, a timeout on every request and subprocess, one
restart, and gunicorn is always stopped.
"""

import argparse
import http.client
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
    pg_cluster,
    prepare_database,
    request,
    restart_postgres,
    session_cookie,
    setup_django,
    summary,
    time_limit,
    wait_until_alone,
)

CLIENTS = 8
SECONDS = 15
FAULT_SECONDS = 20
FAULT_LEAD = 5  # seconds of posting before the restart
WAIT_ALONE = 20 * 60  # seconds to wait for test suites and seeding to leave PostgreSQL before restarting it
MAX_REQUESTS = 20_000  # per client and phase: a bound, far above what 15 s allow
REPEAT_SHARE = 0.05  # posts that repeat an earlier key: a double tap, a retry
RETRY_PAUSE = 0.05  # seconds before a post answered 5xx is sent again
TIME_LIMIT = 900
TARGET_RATIO = 0.05
TARGET_QUERIES = 12
TARGET_RECOVERY = 5  # seconds
CSRF = "loadtestloadtestloadtestloadtest"  # a 32-character CSRF secret, sent as cookie and header alike
POSTED = ("Posted ✓".encode(), "Already posted ✓".encode())  # what an acknowledged post says
FRIENDLY_503 = b'id="problem-503"'


def main():
    args = parse_args()
    time_limit(args.time_limit)
    env = bench_env()
    prepare_database(env, reseed=False)
    setup_django(env)
    lead = large_team()
    team = lead.team
    post_queries = count_post_queries(lead.person, team, team.score_kinds.first())
    clients = make_clients(team, args.clients)
    cluster, no_fault = pg_cluster()
    if args.no_fault:
        cluster, no_fault = None, "--no-fault"
    fault_clients = make_clients(other_team(team, args.clients), args.clients) if cluster else None
    started = time.monotonic()
    fault = None
    with gunicorn(env, workers=(os.cpu_count() or 1) + 1) as port:
        posts = run_phase(port, clients, "post", args.seconds, args)
        healthz = run_phase(port, clients, "healthz", args.seconds, args)
        if cluster and not wait_until_alone(WAIT_ALONE):
            cluster, no_fault = None, f"test suites or seeding still used PostgreSQL after {WAIT_ALONE // 60} min"
        if cluster:
            fault = run_fault_phase(port, fault_clients, cluster, args)
    from django.db import connections

    connections.close_all()  # this process's connection did not survive the restart
    report(team, posts, healthz, fault, no_fault, post_queries, args, time.monotonic() - started)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=CLIENTS, help=f"concurrent members (default {CLIENTS})")
    parser.add_argument("--seconds", type=float, default=SECONDS, help=f"length of each phase (default {SECONDS})")
    parser.add_argument(
        "--fault-seconds",
        type=float,
        default=FAULT_SECONDS,
        help=f"length of the fault phase, restart {FAULT_LEAD} s in (default {FAULT_SECONDS})",
    )
    parser.add_argument("--no-fault", action="store_true", help="leave PostgreSQL alone: no fault phase")
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


def make_clients(team, count):
    """`count` clients, each posting as its share of the team's members in turn (one member's 30 a minute would
    cap the load otherwise)."""
    memberships = list(team.memberships.select_related("person").order_by("pk"))
    share = max(1, len(memberships) // count)
    kind = team.score_kinds.first()
    return [
        Client([session_cookie(m.person) for m in memberships[n * share : (n + 1) * share]], team.slug, kind.pk, n)
        for n in range(count)
    ]


def other_team(team, members):
    """A seeded team besides the measured one, with as many members: its members' minute is untouched."""
    from django.db.models import Count

    from teams.models import Team

    teams = Team.objects.exclude(pk=team.pk).annotate(size=Count("memberships")).filter(size__gte=members)
    return teams.order_by("pk").first() or sys.exit("The bench database has no second team to post to")


class Client:
    """One phone shared by a few members: their sessions, the team they post to, and the keys it sent."""

    def __init__(self, sessions, team_slug, kind_id, seed):
        self.sessions, self.team_slug, self.kind_id, self.seed = sessions, team_slug, kind_id, seed

    def headers(self, member):
        return {
            "Cookie": f"{self.sessions[member]}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "HX-Request": "true",
            "Content-Type": "application/x-www-form-urlencoded",
        }


def run_phase(port, clients, phase, seconds, args):
    """Every client at once, each in its own process, for `seconds`; their results, merged."""
    deadline = time.time() + seconds
    with ProcessPoolExecutor(len(clients)) as pool:
        jobs = [pool.submit(run_client, port, c, phase, deadline, args.max_requests) for c in clients]
        return merge([job.result(timeout=seconds + 120) for job in jobs], seconds)


def run_fault_phase(port, clients, cluster, args):
    """The clients post while PostgreSQL restarts FAULT_LEAD seconds in; their results and the restart's times."""
    deadline = time.time() + args.fault_seconds
    with ProcessPoolExecutor(len(clients)) as pool:
        jobs = [pool.submit(run_client, port, c, "fault", deadline, args.max_requests) for c in clients]
        time.sleep(FAULT_LEAD)
        print(f"Restarting PostgreSQL: {' '.join(cluster)} restart", flush=True)
        started, down, ready = restart_postgres(cluster)
        results = merge([job.result(timeout=args.fault_seconds + 120) for job in jobs], args.fault_seconds)
    return results | {"restart": started, "down": down, "ready": ready}


def merge(results, seconds):
    return {
        "latencies": [t for r in results for t in r["latencies"]],
        "statuses": [s for r in results for s in r["statuses"]],
        "events": [e for r in results for e in r["events"]],
        "accepted": {k for r in results for k in r["accepted"]},
        "sent": {k for r in results for k in r["sent"]},
        "seconds": seconds,
    }


def run_client(port, client, phase, deadline, max_requests):
    """One client's requests, one after another, until the deadline (or max_requests). Every response is kept as
    (start, end, status, what its body showed); a post answered 5xx, or not at all, goes again with its key."""
    rng = random.Random(client.seed)
    latencies, statuses, events, accepted, sent, retry = [], [], [], set(), [], None
    while time.time() < deadline and len(latencies) < max_requests:
        if phase == "healthz":
            method, url, headers, body, post = "GET", "/healthz", {}, None, None
        else:
            if retry:
                post = retry
            elif sent and rng.random() < REPEAT_SHARE:
                post = rng.choice(sent)
            else:
                post = (len(sent) % len(client.sessions), str(uuid.uuid4()))
            sent.append(post)
            member, key = post
            fields = {"text": "A small win under load", "client_key": key, "team": client.team_slug}
            method, url, headers = "POST", "/wins/", client.headers(member)
            body = urlencode(fields | {"kind": client.kind_id})
        start = time.time()
        try:
            status, _, content, elapsed = request(port, method, url, headers, body)
        except (OSError, http.client.HTTPException):
            status, content, elapsed = 0, b"", time.time() - start
        shown = body_shows(status, content)
        if post and shown == "posted":
            accepted.add(post[1])
        retry = post if post and (status == 0 or status >= 500) else None
        latencies.append(elapsed)
        statuses.append(status)
        events.append((start, start + elapsed, status, shown))
        if retry and phase == "fault":
            time.sleep(RETRY_PAUSE)
    return {"latencies": latencies, "statuses": statuses, "events": events, "accepted": accepted, "sent": sent}


def body_shows(status, content):
    """What a response's body says: the win posted, the friendly 503 page, a traceback, or something else."""
    if b"Traceback" in content:
        return "traceback"
    if 200 <= status < 300 and any(word in content for word in POSTED):
        return "posted"
    if status == 503 and FRIENDLY_503 in content:
        return "friendly"
    return "other"


def fault_figures(fault):
    """Errors (5xx outside the gap, a 500 or a traceback anywhere, no answer) and the recovery time."""
    gap_start, down, ready = fault["restart"], fault["down"], fault["ready"]
    errors = expected = 0
    for start, end, status, shown in fault["events"]:
        in_gap = start <= ready and end >= gap_start
        if status == 503 and shown == "friendly" and in_gap:
            expected += 1
        elif status == 0 or status >= 500 or shown == "traceback":
            errors += 1
    stored_after = [end for start, end, status, shown in fault["events"] if shown == "posted" and start >= down]
    # pg_isready is polled every few hundredths of a second: a post may be stored before it sees the database back.
    raw = min(stored_after) - ready if stored_after else None
    recovery = None if raw is None else max(0.0, raw)
    return {"errors": errors, "expected_503": expected, "gap": ready - gap_start, "recovery": recovery, "raw": raw}


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


def report(team, posts, healthz, fault, no_fault, post_queries, args, seconds):
    post_rps = len(posts["latencies"]) / posts["seconds"]
    healthz_rps = len(healthz["latencies"]) / healthz["seconds"]
    p50, p95 = summary(posts["latencies"])
    phases = [posts, fault] if fault else [posts]
    accepted = {k for phase in phases for k in phase["accepted"]}
    stored = stored_keys({key for phase in phases for _, key in phase["sent"]})
    lost = len(accepted - stored.keys())
    doubled = sum(n - 1 for n in stored.values() if n > 1)
    refused = sum(s != 200 for s in posts["statuses"])
    not_posted = sum(shown != "posted" for *_, shown in posts["events"])
    ratio = post_rps / healthz_rps
    print()
    members = len({member for member, _ in posts["sent"]}) * args.clients
    print(f"{args.clients} clients posting for {args.seconds:.0f} s as {members} members of {team.name}, then /healthz")
    print(f"  gunicorn, DEBUG=0, {(os.cpu_count() or 1) + 1} sync workers; PostgreSQL; loopback")
    print(
        f"  posts: {len(posts['latencies'])} ({post_rps:.0f}/s), p50 {p50:.1f} ms, p95 {p95:.1f} ms,"
        f" not 200: {refused}, 200 but not stored (a limit, a form error): {not_posted - refused}"
    )
    print(f"  /healthz: {len(healthz['latencies'])} ({healthz_rps:.0f}/s)")
    print(f"  post / healthz throughput: {ratio:.3f}   target: at least {TARGET_RATIO}: ", end="")
    print("met" if ratio >= TARGET_RATIO else "NOT met")
    print(f"  queries per htmx post: {post_queries}   target: at most {TARGET_QUERIES}: ", end="")
    print("met" if post_queries <= TARGET_QUERIES else "NOT met")
    if fault:
        f = fault_figures(fault)
        recovery = "none" if f["recovery"] is None else f"{f['recovery']:.2f}"
        raw = "none" if f["raw"] is None else f"{f['raw']:+.3f}"
        statuses = {s: fault["statuses"].count(s) for s in sorted(set(fault["statuses"]))}
        print(f"  fault phase: {len(fault['events'])} posts in {args.fault_seconds:.0f} s, statuses {statuses}")
        print(f"    PostgreSQL restart: refused connections {fault['down'] - fault['restart']:.2f} s in,")
        print(f"    accepted them again {f['gap']:.2f} s in (the gap); friendly 503s in the gap: {f['expected_503']}")
        print(f"    errors (5xx outside the gap, a 500, a traceback, no answer): {f['errors']}   target: 0: ", end="")
        print("met" if f["errors"] == 0 else "NOT met")
        print(
            f"    first stored post {recovery} s after the database was back"
            f" ({raw} s from pg_isready's first yes)"
            f"   target: at most {TARGET_RECOVERY} s: ",
            end="",
        )
        print("met" if f["recovery"] is not None and f["recovery"] <= TARGET_RECOVERY else "NOT met")
        figures = f" gap_s={f['gap']:.2f} errors_5xx={f['errors']} recovery_s={recovery}"
    else:
        print(f"  fault phase skipped: {no_fault}")
        figures = " errors_5xx=skipped recovery_s=skipped"
    print(f"  keys acknowledged: {len(accepted)}; wins stored for them: {sum(stored.get(k, 0) for k in accepted)}")
    print(f"  wins lost: {lost}; wins doubled: {doubled}")
    print(f"Finished in {seconds:.0f} s")
    print(
        f"post_rps={post_rps:.0f} healthz_rps={healthz_rps:.0f} post_ratio={ratio:.3f} post_p50_ms={p50:.1f}"
        f" post_p95_ms={p95:.1f} post_queries={post_queries} wins_lost={lost} wins_doubled={doubled}{figures}"
    )


if __name__ == "__main__":
    try:
        main()
    except TimeLimitExceeded as error:
        sys.exit(f"Aborted: {error}")
