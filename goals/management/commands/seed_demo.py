"""Fill an empty database with a believable demo and print how to sign in.

It lives in `goals`, the app that may import the others, because the demo spans them all.
Options set the size, so the same command feeds the benchmarks with a large organisation.
"""

import random
import secrets
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from goals import services as goal_services
from goals.models import Goal, Intention, Measurement, Review
from teams import services as team_services
from teams.models import Blocker, Membership, Person
from wins import rollups, scoring
from wins.models import Applause, Celebration, Comment, Win
from wins.services import STREAK_MILESTONES, WIN_MILESTONES

DEMO_PASSWORD = "small-wins-daily"
LEAD_EMAIL = "lead@example.com"
MEMBER_EMAIL = "member@example.com"

# The seeds' world: a personal-brand group, a sales crew, a job-search circle, a delivery team, a run club.
TEAMS = [
    ("Brand Builders", "personal-brand", "Hundreds of micro-wins build a reputation as an authority in our field."),
    ("Sales Crew", "sales-activity", "We ask ten people a week for the sale: the yeses take care of themselves."),
    ("Career Circle", "job-search", "Twenty conversations in thirty days open more doors than a hundred applications."),
    ("Platform Team", "delivery-team", "Meaningful work, clear milestones, and no impediment left standing."),
    ("Run Club", "fitness", "Small wins lead to big wins: a sub-8:00 10k by next April."),
]
FIRST = [
    "Priya",
    "Jonas",
    "Aiko",
    "Omar",
    "Lena",
    "Tomás",
    "Grace",
    "Kwame",
    "Ines",
    "Ravi",
    "Nora",
    "Felix",
    "Zoe",
    "Hugo",
    "Amara",
    "Theo",
    "Mei",
    "Luca",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Rao",
    "Becker",
    "Tanaka",
    "Haddad",
    "Novak",
    "Silva",
    "Brennan",
    "Mensah",
    "Duarte",
    "Iyer",
    "Kowalski",
    "Weber",
]
# What a win of each kind sounds like, per score sheet, in the order of teams/score_sheets.py.
WIN_TEXTS = {
    "personal-brand": [
        ["A reader wrote to say my post on pricing changed how she quotes", "Thank-you email for the onboarding guide"],
        ["Three sign-ups from the checklist freebie", "New subscriber from the webinar replay"],
        ["A studio asked for a quote after reading my case study", "Inbound lead from the LinkedIn article"],
        ["Invited to speak at the regional design meetup", "Asked to run a lunch-and-learn in March"],
        ["Guest post accepted by the Small Business Journal", "Pitch for a guest blog got a yes"],
        ["Booked as a guest on the Freelance Friday podcast", "Podcast host said yes to an episode on niching"],
        ["Former client introduced me to her CFO", "Introduction to a founder who needs a brand refresh"],
        ["My thread on proposals was reshared 40 times", "Newsletter forwarded by a reader to her team"],
    ],
    "sales-activity": [
        ["Asked Dana at Northwind for the sale", "Asked two warm leads to sign this week"],
        ["Discovery call with a 12-person agency", "Good discovery call: they have budget in Q1"],
        ["Sent the proposal to Harbor Dental", "Proposal out to the logistics firm"],
        ["Closed the annual plan with Brightside", "Signed: three seats for the studio"],
        ["A customer referred her neighbour's firm", "Referral from last month's client"],
    ],
    "job-search": [
        ["Informational interview with a head of product", "Coffee chat with an engineering manager at a fintech"],
        ["Applied to the platform role at a climate start-up", "Application sent, with a tailored cover note"],
        ["Second-round interview booked for Thursday", "Phone screen booked with the hiring manager"],
        ["Met a recruiter at the meetup who knows the team", "New contact: a staff engineer I admire"],
        ["Offer received!", "Verbal offer, written one coming Monday"],
    ],
    "delivery-team": [
        ["Shipped the export button to every customer", "Released the new onboarding flow"],
        ["Fixed the time-zone bug in reminders", "Squashed the flaky login test"],
        ["Reviewed Omar's migration PR", "Paired on a tricky review with Lena"],
        ["Got staging access sorted for the contractors", "Unblocked the release by fixing CI"],
        ["A customer wrote that the new report saves her an hour", "Kind note from support about the fix"],
    ],
    "fitness": [
        ["Easy 5k in the park", "Tempo run: 4 miles at 8:20"],
        ["New 5k best: 7:05 per mile", "Fastest 400 m yet: 64 seconds"],
        ["Strength session: squats and lunges", "Core and hips, 30 minutes"],
        ["Stretching and foam roller after the long run", "Rest day walk, 40 minutes"],
        ["Finished the Riverside 10k", "Parkrun done with the club"],
    ],
}
COMMENTS = ["Brilliant!", "Well done 👏", "That's a big one.", "Love this.", "Keep going!", "Nice work, really."]
THREAD = [  # a conversation under the team's latest win: the feed shows its last three and "3 more"
    "How did you get them to say yes?",
    "Two follow-ups, then the one-pager with last month's numbers.",
    "Stealing that for my list.",
    "Same trick worked for the podcast booking last week.",
    "Next one's yours 👊",
    "Deal. Writing it down as tomorrow's first thing.",
]
ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Kolkata", "Australia/Sydney"]


class Command(BaseCommand):
    help = "Load demo data (once) and print how to sign in."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=3, help="number of teams (default 3)")
        parser.add_argument("--members", type=int, default=6, help="members per team, the lead included (default 6)")
        parser.add_argument("--days", type=int, default=120, help="days of history (default 120)")
        parser.add_argument("--seed", type=int, default=7, help="random seed, for the same demo every time")
        parser.add_argument(
            "--not-for-development",
            action="store_true",
            help="load it although DEBUG is off (a staging server, a benchmark): its accounts get a random password",
        )

    def handle(self, *args, teams, members, days, seed, not_for_development, **options):
        # With DEBUG off this may be a real site: verified accounts, leads among them, with a published password
        # would be open doors. Only on request, and then with a password nobody has read in the README.
        if not settings.DEBUG and not not_for_development:
            raise CommandError(
                "DEBUG is off: this looks like production, where demo accounts would be open doors. "
                "Pass --not-for-development to load the demo anyway, with a random password."
            )
        lead = Person.objects.filter(email=LEAD_EMAIL).first()
        if lead:
            self.stdout.write("Demo data is already loaded.")
            published = lead.check_password(DEMO_PASSWORD)
            password = DEMO_PASSWORD if published else "the one printed when the demo was loaded"
        else:
            password = DEMO_PASSWORD if settings.DEBUG else secrets.token_urlsafe(12)
            with transaction.atomic():
                build(random.Random(seed), teams=teams, members=members, days=days, password=password)
            self.stdout.write(f"Demo data loaded: {teams} teams of {members}, {days} days of history.")
        self.stdout.write(
            self.style.SUCCESS(f"Sign in at http://127.0.0.1:8000/accounts/login/ as {LEAD_EMAIL} (a team lead)")
            + f"\n  or as {MEMBER_EMAIL} (a member); the password for both is {password}"
            + "\nMail (invitations, digests, reminders) is printed by the worker in this console; to see the demo "
            "team's evening digest and a member's week now, run: make mail-demo"
        )


def build(rng, *, teams, members, days, password=DEMO_PASSWORD):
    """People, teams and their history: the demo lead leads the first team and is a member of the second."""
    password = make_password(password)
    people = []
    for t in range(teams):
        name, sheet, purpose = TEAMS[t % len(TEAMS)]
        name = name if t < len(TEAMS) else f"{name} {t // len(TEAMS) + 1}"
        crew = [make_person(rng, t, m, password) for m in range(members)]
        team = team_services.create_team(
            lead=crew[0], name=name, purpose=purpose, time_zone=crew[0].time_zone, score_sheet=sheet
        )
        Membership.objects.bulk_create(Membership(team=team, person=p) for p in crew[1:])
        people.append((team, crew))
    if teams > 1:  # the demo lead also belongs to a second team, to show the switcher
        Membership.objects.create(team=people[1][0], person=people[0][1][0])
    for t, (team, crew) in enumerate(people):
        sheet = TEAMS[t % len(TEAMS)][1]
        make_wins(rng, team, crew, days, WIN_TEXTS[sheet])
        rollups.rebuild(team)
        make_goals(team, crew, days)
        make_plans(rng, team, crew)
    if people:
        make_showcase_goals(*people[0])
    return people


def make_wins(rng, team, crew, days, texts):
    """A history of wins: each person has a rhythm (how often they post), a quieter patch, and recent applause."""
    kinds = list(team.score_kinds.all())
    wins = []
    for i, person in enumerate(crew):
        today = person.local_today()
        rhythm = 0.85 if i < 2 else rng.choice([0.35, 0.55, 0.7, 0.8, 0.9])
        quiet = 5 if i == 3 else 0  # one person has been quiet for a few days: the dashboard notices, gently
        for back in range(days, -1, -1):
            day = today - timedelta(days=back)
            if back >= max(quiet, 1) and rng.random() < rhythm and day.weekday() < 6:
                for _ in range(rng.choice([1, 2, 3, 3, 4])):
                    k = rng.randrange(len(kinds)) if rng.random() < 0.8 else rng.randrange(min(2, len(kinds)))
                    wins.append(
                        Win(
                            author=person,
                            team=team,
                            kind=kinds[k],
                            text=rng.choice(texts[k]),
                            day=day,
                            points=kinds[k].points,
                            visibility=Win.Visibility.PRIVATE if rng.random() < 0.05 else Win.Visibility.TEAM,
                            client_key=uuid.uuid4(),
                        )
                    )
    Win.objects.bulk_create(wins, batch_size=2000)
    recent = sorted((w for w in wins if w.visibility == Win.Visibility.TEAM), key=lambda w: w.day)[-60:]
    applause = [
        Applause(win=w, person=p) for w in recent for p in rng.sample(crew, k=min(3, len(crew))) if p != w.author
    ]
    Applause.objects.bulk_create(applause, ignore_conflicts=True)
    Comment.objects.bulk_create(
        Comment(win=w, author=rng.choice([p for p in crew if p != w.author]), text=rng.choice(COMMENTS))
        for w in recent[::6]
        if len(crew) > 1
    )
    if recent and len(crew) > 1:
        talk, others = recent[-1], [p for p in crew if p != recent[-1].author]
        Comment.objects.bulk_create(
            Comment(win=talk, author=others[n % len(others)], text=line) for n, line in enumerate(THREAD)
        )
    celebrate_history(team, crew, wins)


# Each person's own goal, set on what they control (seed 001), fed by their wins of the team's first kind.
PERSONAL_GOALS = [
    ("Two {kind} wins a week", Goal.Kind.ACTIVITY, 2, Goal.Period.WEEK),
    ("Twenty {kind} wins this quarter", Goal.Kind.COUNT, 20, ""),
    ("One {kind} win a day", Goal.Kind.ACTIVITY, 1, Goal.Period.DAY),
]


def make_goals(team, crew, days):
    """A team goal fed by the team's first kind of win, and one personal goal per person, mostly shared."""
    kinds = list(team.score_kinds.all()[:2])
    start = crew[0].local_today() - timedelta(days=min(days, 90))
    shared = Win.objects.filter(team=team, kind=kinds[0], day__gte=start)
    target = (shared.count() // 50 + 2) * 50  # within reach by the quarter's end, not reached yet
    team_goal = Goal.objects.create(
        team=team,
        title=f"{target} {kinds[0].name.lower()} wins this quarter",
        why=team.purpose,
        kind=Goal.Kind.COUNT,
        target=target,
        due=start + timedelta(days=91),
    )
    shared.update(goal=team_goal)
    for i, person in enumerate(crew):
        title, kind, target, period = PERSONAL_GOALS[i % len(PERSONAL_GOALS)]
        goal = Goal.objects.create(
            owner=person,
            title=title.format(kind=kinds[1].name.lower()),
            kind=kind,
            target=target,
            period=period,
            shared_with=team if i % 4 != 3 else None,  # most share their goal with the team; some keep it
        )
        linked = Win.objects.filter(author=person, kind=kinds[1]).update(goal=goal)
        if kind == Goal.Kind.COUNT and linked >= target:  # the history reached it
            Goal.objects.filter(pk=goal.pk).update(status=Goal.Status.ACHIEVED, achieved_at=timezone.now())


PLANS = [
    "Pitch one guest post",
    "Follow up with two warm leads",
    "Write the newsletter intro",
    "Ask for one introduction",
    "Review a teammate's draft",
    "Book the venue for the meetup",
]
BLOCKERS = [
    "Waiting two weeks for legal to approve the case study",
    "No access to the staging database",
    "The CRM export keeps timing out",
    "Nobody owns the pricing page copy",
]


def make_plans(rng, team, crew):
    """Today's three for everyone, yesterday's reviews, and the open blockers the leads should see."""
    intentions, reviews = [], []
    for person in crew:
        today = person.local_today()
        for position, text in enumerate(rng.sample(PLANS, 3)):
            done = timezone.now() if position == 0 and rng.random() < 0.5 else None
            intentions.append(Intention(person=person, day=today, text=text, position=position, done_at=done))
        for back in range(1, 4):
            reviews.append(
                Review(
                    person=person,
                    day=today - timedelta(days=back),
                    learnt=rng.choice(
                        ["Mornings are for the hard thing", "Short asks get answers", "Batching calls helps"]
                    ),
                    in_the_way=rng.choice(["", "Too many meetings", "Waiting on feedback"]),
                )
            )
    Intention.objects.bulk_create(intentions)
    Review.objects.bulk_create(reviews)
    raisers = crew[1:3] if len(crew) > 2 else crew[1:]
    Blocker.objects.bulk_create(
        Blocker(team=team, raised_by=p, text=BLOCKERS[(i + team.pk) % len(BLOCKERS)], day=p.local_today())
        for i, p in enumerate(raisers)
    )


def make_showcase_goals(team, crew):
    """The demo people's macro goals from seed 004: the lead's career (kept to herself), the member's 10k (shared
    with the team)."""
    lead, member = crew[0], crew[1]
    today = lead.local_today()
    career = goal_services.start_from(starter="career", owner=lead, today=today - timedelta(days=200))
    course = career.children.get(title__startswith="Take a leadership")
    goal_services.achieve_goal(goal=course, by=lead)
    Celebration.objects.filter(person=lead).update(seen_at=timezone.now())
    runner = goal_services.start_from(starter="runner", owner=member, today=today - timedelta(days=120))
    Goal.objects.filter(Q(pk=runner.pk) | Q(parent=runner)).update(shared_with=team)
    paces = {"10k": [545, 536, 529, 522, 515, 509], "5k": [505, 497, 488, 476, 466, 455], "1 mile": [440, 431, 419]}
    for goal in [runner, *runner.children.all()]:
        series = next((v for k, v in paces.items() if goal.title.startswith(k)), [78, 72, 66, 63])
        for week, value in enumerate(series):
            day = today - timedelta(days=7 * (len(series) - week))
            Measurement.objects.create(goal=goal, value=value, day=day, note="Club run" if week % 2 else "")
    Goal.objects.create(
        owner=member,
        parent=runner,
        shared_with=team,
        title="Run three times a week",
        kind=Goal.Kind.ACTIVITY,
        target=3,
        period="week",
    )


def celebrate_history(team, crew, wins):
    """Milestones the history reached, recorded as already seen: each person's own (all their wins) and the
    team's (the wins they shared with it, noted in the feed), so the feed shows them and Today stays calm."""
    by_author = {}
    for win in wins:
        by_author.setdefault(win.author_id, []).append(win)
    rows = []
    for person in crew:
        mine = sorted(by_author.get(person.pk, []), key=lambda w: w.day)
        shared = [w for w in mine if w.visibility == Win.Visibility.TEAM]
        rows += milestones(person, mine, team=None) + milestones(person, shared, team=team)
    Celebration.objects.bulk_create(rows, ignore_conflicts=True)


def milestones(person, wins, team):
    """The celebrations a person's wins (in day order) reached, for the audience `team` (None: their own)."""
    rows = []
    for n, kind in WIN_MILESTONES.items():
        if len(wins) >= n:
            rows.append(
                Celebration(person=person, team=team, kind=kind, win=wins[n - 1], seen_at=wins[n - 1].created_at)
            )
    first_win_of = {}
    for win in wins:
        first_win_of.setdefault(win.day, win)
    for n, kind in STREAK_MILESTONES.items():  # the first day a streak (by the app's own rule) reached n
        mark = next((m for m in scoring.fold(first_win_of, person.active_weekdays) if m.run == n), None)
        if mark:
            win = first_win_of[mark.day]
            rows.append(Celebration(person=person, team=team, kind=kind, win=win, seen_at=win.created_at))
    return rows


def make_person(rng, t, m, password):
    if (t, m) == (0, 0):
        email, display_name, zone = LEAD_EMAIL, "Maya Okafor", "Europe/London"
    elif (t, m) == (0, 1):
        email, display_name, zone = MEMBER_EMAIL, "Sam Lindqvist", "Europe/Berlin"
    else:
        n = t * 31 + m  # a different name for everyone in a team
        display_name = f"{FIRST[n % len(FIRST)]} {LAST[(n * 5 + t) % len(LAST)]}"
        email, zone = f"t{t}m{m}@example.com", rng.choice(ZONES)
    person = Person.objects.create(
        email=email,
        display_name=display_name,
        time_zone=zone,
        password=password,
        mail_nudge=email == MEMBER_EMAIL,  # the demo member asked for a nudge on evenings without a win
    )
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person
