import csv
import itertools
from copy import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, trigger_client_event

from teams.access import next_url, team_view
from teams.context_processors import my_teams
from teams.export import spreadsheet_safe
from teams.queries import open_blockers

from . import limits, queries, scoring, services
from .forms import CommentForm, FeedFilterForm, WinForm
from .heatmap import heatmap
from .models import Applause, Comment, Win


def win_form(request, data=None, *, team_slug=None, initial=None):
    """The post box. It names the team it posts to and lets the person change it there: the team chosen in it
    (posted, or asked for with `team_slug`), else the current one. A posted form keeps the team it was drawn for
    (another tab may switch), and is refused if that team is no longer the person's: a win is never posted where
    it wasn't written for. A team asked for that is not the person's is a 404."""
    person, teams = request.user, my_teams(request)
    team = teams.current.team if teams.current else None
    chosen = data.get("team") if data is not None else team_slug
    if chosen:
        mine = next((m.team for m in teams.all if m.team.slug == chosen), None)
        if mine is None and data is None:
            raise Http404("No such team.")
        if mine is None:  # shown again with the current team, to post there if the person wants
            return WinForm(data, author=person, team=team, today=person.local_today(), team_lost=True)
        team = mine
    return WinForm(data, author=person, team=team, today=person.local_today(), initial=initial)


def todays_wins_context(request):
    """Today's wins and the stats beside them: the page, and the list again after a win posted elsewhere on it."""
    person = request.user
    today = person.local_today()
    per_day = queries.wins_per_day(person.wins.all())
    return {
        "today": today,
        "wins": queries.todays_wins(person, today),
        "stats": queries.person_stats(person, per_day, today),
        "momentum_rule": scoring.MOMENTUM_RULE,
    }, per_day


def shared_text(query):
    """What was shared to the installed app (the manifest's share target sends `title`, `text`, `url`), as the
    words of a win: the text (else the title), then the link unless the text has it already."""
    text = " ".join((query.get("text") or query.get("title") or "").split())
    url = query.get("url", "").strip()
    return f"{text} {url}".strip() if url and url not in text else text


def today_context(request, form=None, year=False):
    """Today: the post box (filled with what was shared to the app, if anything), today's wins, your momentum (all
    your wins) and, when asked, your year."""
    context, per_day = todays_wins_context(request)
    if form is None:
        shared = shared_text(request.GET)
        form = win_form(request, team_slug=request.GET.get("team"), initial={"text": shared} if shared else None)
        if shared:
            form.fields["text"].widget.attrs["autofocus"] = True  # to add a word or post at once
    return context | {
        "form": form,
        "heatmap": heatmap(per_day, context["today"], label="My wins per day") if year else None,
        "celebrations": services.take_celebrations(person=request.user),
    }


def today(request):
    """The member's home. Its parts, for htmx: `?part=year`, the year heatmap, loaded when it scrolls into view;
    `?part=team&team=<slug>`, the post box's kinds and goals for the team chosen in it; `?part=wins`, today's wins
    and stats again, after a win was posted from Today's three."""
    part = request.GET.get("part")
    if request.htmx and part == "year":
        person = request.user
        per_day = queries.wins_per_day(person.wins.all())
        year = heatmap(per_day, person.local_today(), label="My wins per day")
        return render(request, "wins/today.html#year", {"heatmap": year})
    if request.htmx and part == "team":
        form = win_form(request, team_slug=request.GET.get("team"), initial={"goal": request.GET.get("goal")})
        return render(request, "wins/today.html#team-fields", {"form": form})
    if request.htmx and part == "wins":
        context, _ = todays_wins_context(request)
        context["celebrations"] = services.take_celebrations(person=request.user)
        return render(request, "wins/today.html#todays-wins-again", context)
    return render(request, "wins/today.html", today_context(request, year=part == "year"))


@require_POST
def post_win(request):
    if request.headers.get("X-Outbox-Person", str(request.user.pk)) != str(request.user.pk):
        # A win saved offline on this phone by someone who has since signed out: it waits for them, not posted as me.
        return HttpResponse("Saved by someone else on this phone.", status=409, content_type="text/plain")
    if request.POST.get("switch_team"):  # without JavaScript, the box's team is changed by a button of its own
        typed = {name: request.POST.get(name, "") for name in ("text", "note")}
        form = win_form(request, team_slug=request.POST.get("team"), initial=typed)
        return render(request, "wins/today.html", today_context(request, form=form))
    form = win_form(request, request.POST)
    win = created = None
    status = 200
    if form.is_valid():
        try:
            win, created = services.record_win(author=request.user, team=form.team, **form.cleaned_data)
        except limits.TooMany as too_many:
            form.add_error(None, too_many.message)
            status = 429
    if request.htmx and not win:  # bad input or too many: the box again, as typed, with what to fix
        return render(request, "wins/today.html#bad-post", {"form": form})
    person, today = request.user, request.user.local_today()
    if created and form.team and person.current_team_id != form.team.pk:  # the team chosen in the box stays chosen
        person.current_team = form.team
        person.save(update_fields=["current_team"])
    if request.htmx:  # the box starts afresh where it must; the new win, stats and celebrations ride along
        # The milestones read the author's days already, unless the win reached its goal: that adds a win.
        goal_reached = created and win.goal_id and win.goal.status == win.goal.Status.ACHIEVED
        per_day = win.author_days if created and not goal_reached else queries.wins_per_day(person.wins.all())
        win.applause_count, win.applauded = 0, False  # a new win has no applause yet
        context = {
            "form": WinForm(author=person, team=form.team, today=today),
            "posted": win,
            "repeated": not created,  # a retry of a post that was stored: said, and not listed twice
            "posted_today": created and win.day == today,
            "goal_reached": goal_reached,  # the goal leaves the box's choices
            "stats": queries.person_stats(person, per_day, today),
            "celebrations": services.take_celebrations(person=person),
            "momentum_rule": scoring.MOMENTUM_RULE,
        }
        response = reswap(render(request, "wins/today.html#posted", context), "none")
        # Either way the win is stored: the outbox (static/js/offline.js) reads which from these events.
        return trigger_client_event(response, "win-posted" if created else "win-already-posted")
    if win and not created:
        messages.success(request, "Already posted ✓: that win was stored the first time.")
    elif win:
        messages.success(request, f"Posted ✓ +{win.points}" + ("" if win.day == today else f" for {win.day:%A %-d %B}"))
    if win:
        return redirect("wins:today")
    return render(request, "wins/today.html", today_context(request, form=form), status=status)


def my_win(request, win_code):
    """One of my own wins (deleted ones too, for undo); anyone else's is 404."""
    return get_object_or_404(Win.objects.select_related("team", "kind", "goal"), author=request.user, code=win_code)


def my_current_win(request, win_code):
    """One of my wins that I may still change: none of a team I have left (those I may only delete)."""
    win = my_win(request, win_code)
    if win.team_id and not any(m.team_id == win.team_id for m in my_teams(request).all):
        raise Http404("You are no longer in this win's team.")
    return win


def edit_win(request, win_code):
    win = my_current_win(request, win_code)
    if win.deleted_at:
        raise Http404
    person = request.user
    # The form validates a copy: a ModelForm writes into its instance, and the service compares old with new.
    form = WinForm(request.POST or None, instance=copy(win), author=person, today=person.local_today())
    if request.method == "POST" and form.is_valid():
        services.edit_win(win=win, **form.cleaned_data)
        messages.success(request, "Win updated.")
        return redirect(next_url(request, reverse("wins:today")))
    return render(request, "wins/edit.html", {"form": form, "win": win})


@require_POST
def delete_win(request, win_code):
    win = my_win(request, win_code)
    services.delete_win(win=win)
    if request.htmx and request.POST.get("undo"):  # Undo at the post box: the win goes, its words go back in the box
        context, _ = todays_wins_context(request)
        context["form"] = form = win_form(request, initial={"text": win.text, "note": win.note, "day": win.day})
        form.fields["text"].widget.attrs["autofocus"] = True  # htmx focuses it: the next word typed goes there
        return reswap(render(request, "wins/today.html#undone", context | {"undone": win}), "none")
    if request.htmx:
        return render(request, "wins/today.html#deleted-win", {"win": win, "in_feed": request.POST.get("in_feed")})
    messages.success(request, "Win deleted.")
    return redirect("wins:today")


@require_POST
def restore_win(request, win_code):
    win = my_current_win(request, win_code)
    if not services.restore_win(win=win):
        messages.error(request, "Too late to undo: that win is gone.")
        return redirect("wins:today")
    if request.htmx:
        win = queries.with_feed_details(Win.objects.filter(pk=win.pk), request.user).get()
        in_feed = bool(request.POST.get("in_feed")) and win.team_id  # the feed shows author, date and comments
        return render(request, "wins/today.html#win-item", {"win": win, "show_author": in_feed, "team": win.team})
    return redirect("wins:today")


def visible_win(request, win_code):
    return get_object_or_404(Win.objects.visible_to(request.user).select_related("author", "team"), code=win_code)


def where_it_shows(win):
    """The screen a win is seen on: its team's feed, or Today for a win of no team."""
    return win.team.get_absolute_url() if win.team else reverse("wins:today")


@require_POST
def applaud(request, win_code):
    win = visible_win(request, win_code)
    refusal = limits.refusal(Applause.objects.filter(person=request.user), "applause")
    if refusal and Applause.objects.filter(win=win, person=request.user).exists():
        refusal = None  # taking one back is never refused
    if not refusal:
        services.toggle_applause(win=win, person=request.user)
    if request.htmx:
        win = queries.with_applause(Win.objects.filter(pk=win.pk), request.user).get()
        return render(request, "wins/today.html#applause", {"win": win, "refusal": refusal})
    if refusal:
        messages.error(request, refusal)
    return redirect(next_url(request, where_it_shows(win)))


@require_http_methods(["GET", "HEAD", "POST"])
def comment(request, win_code):
    """POST: add a comment. GET: all of a win's comments, for the feed's "N more" (a page of its own without htmx)."""
    win = visible_win(request, win_code)
    if request.method != "POST":
        win = queries.with_all_comments(win)
        template = "wins/today.html#comments" if request.htmx else "wins/comments.html"
        return render(request, template, {"win": win, "comment_form": CommentForm(), "back": where_it_shows(win)})
    form = CommentForm(request.POST)
    problem = limits.refusal(Comment.objects.filter(author=request.user), "comments")
    if problem:
        form.add_error(None, problem)
    if form.is_valid():
        services.add_comment(win=win, author=request.user, text=form.cleaned_data["text"])
    problem = problem or "A comment needs a few words, at most 280 characters."
    if request.htmx:
        win = queries.with_feed_details(Win.objects.filter(pk=win.pk), request.user).get()
        context = {"win": win, "comment_form": CommentForm() if form.is_valid() else form, "comment_problem": problem}
        return render(request, "wins/today.html#comments", context)
    if not form.is_valid():
        messages.error(request, problem)
    return redirect(next_url(request, where_it_shows(win)))


@team_view
def feed(request, membership):
    team = membership.team
    members = list(team.memberships.select_related("person").order_by("person__display_name"))
    kinds = list(team.score_kinds.all())
    goals = queries.feed_goals(team)
    filters = FeedFilterForm(request.GET or None, members=members, kinds=kinds, goals=goals)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    page = queries.page_number(request.GET.get("page"))
    wins, has_more = queries.feed_page(team, request.user, chosen, page)
    context = {
        "membership": membership,
        "team": team,
        "blockers": open_blockers(membership),
        "members": members,
        "filters": filters,
        "wins": wins,
        "page": page,
        "has_more": has_more,
        "query": request.GET.urlencode() if request.GET else "",
    }
    if request.htmx and request.GET.get("page"):
        return render(request, "wins/feed.html#feed-page", context)
    if request.htmx:
        return render(request, "wins/feed.html#feed-list", context)
    return render(request, "wins/feed.html", context)


def csv_response(filename, rows):
    """Stream wins as CSV; cells that a spreadsheet would run as a formula are quoted."""

    class Echo:
        def write(self, value):
            return value

    def safe(value):
        return spreadsheet_safe("" if value is None else str(value))

    writer = csv.writer(Echo())
    header = ["date", "author", "team", "kind", "points", "goal", "text", "note", "visibility", "posted_at"]
    lines = itertools.chain([writer.writerow(header)], (writer.writerow([safe(v) for v in row]) for row in rows))
    # A few hundred rows a piece: gzip flushes after each piece it streams, and a row alone compresses poorly.
    pieces = ("".join(piece) for piece in itertools.batched(lines, 500, strict=False))
    response = StreamingHttpResponse(pieces, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_rows(wins, reader):
    """CSV rows of wins with only what `reader` may see: nothing of a team they are no longer in (not even its
    name today), and the titles of the goals they can see."""
    teams = set(reader.memberships.values_list("team_id", flat=True))
    for win in wins.select_related("author", "team", "kind", "goal").order_by("day", "created_at").iterator(2000):
        in_reach = win.team_id is None or win.team_id in teams
        goal = win.goal
        goal_seen = goal and in_reach and (goal.owner_id == reader.pk or goal.audience_id in teams)
        yield [
            win.day.isoformat(),
            win.author.display_name,
            (win.team.name if in_reach else "a team you left") if win.team_id else "",
            win.kind.name if win.kind and in_reach else "",
            win.points,
            goal.title if goal_seen else "",
            win.text,
            win.note,
            win.visibility,
            win.created_at.isoformat(timespec="seconds"),
        ]


def export_my_wins(request):
    return csv_response("my-wins.csv", export_rows(request.user.wins.alive(), request.user))


@team_view
def export_team_wins(request, membership):
    if not membership.is_lead:
        raise PermissionDenied("Only the team's leads can export its wins.")
    team = membership.team
    wins = Win.objects.shared().filter(team=team)
    span = FeedFilterForm(request.GET, members=[], kinds=[], goals=[])  # ?start=&end= narrow it to a range
    if span.is_valid():
        if span.cleaned_data.get("start"):
            wins = wins.filter(day__gte=span.cleaned_data["start"])
        if span.cleaned_data.get("end"):
            wins = wins.filter(day__lte=span.cleaned_data["end"])
    return csv_response(f"{team.slug}-wins.csv", export_rows(wins, request.user))
