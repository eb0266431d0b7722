"""``my-data``, ``forget-me`` and the daily retention sweep, all driven by ``bot.privacy``'s map.

``my-data`` sends the caller a JSON file of every row about them, from every table of the map,
and only in a direct chat: asked in a shared room, it says so there and sends the file to the
person's direct chat. ``forget-me`` first says what it will do; ``forget-me yes`` does it,
in one transaction, and says what was erased and what it cannot erase (the homeserver's own
copy of their messages). There is no pending state to keep: the explicit ``yes`` is the
confirmation.

Retention is a scheduled job (``privacy.retention``) that deletes recorded message text older
than ``privacy.retention_days`` and sets itself again for the next day. The first job is
made when text is first recorded (the ``talk`` hook), and by ``my-data`` and ``forget-me``;
an "on start" hook of the runtime would be the better place (see docs/privacy.md).
"""

from __future__ import annotations

import json
import logging
import weakref
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Row, Table, delete, select
from sqlalchemy.orm import Session

from bot import privacy
from bot.commands import CommandSpec, Registry
from bot.context import Context
from bot.db import (
    Capture,
    FinalReport,
    JobState,
    Member,
    PollVote,
    Rsvp,
    Salon,
    ScheduledJob,
    StoredSummary,
    WatchedEvent,
    is_transient,
)
from bot.db.session import after_commit
from bot.i18n import N_, Translator, translator
from bot.jobs import Jobs
from bot.parser import ParsedCommand, read_choice
from bot.replies import Attachment, Reply
from handlers.checks import verb_in
from handlers.describe import salon_label
from handlers.rsvp import withdraw

log = logging.getLogger("salonbot.privacy")

RETENTION = "privacy.retention"
DAY = timedelta(days=1)
YES_WORDS = ("yes", "ja", "jo")
#: How the confirming word is written in each language's example.
YES_WORD = {"da": "ja", "nb": "ja", "sv": "ja", "en": "yes"}
FILENAME = "my-data.json"
#: The runtimes (their job ports) that have checked a sweep is pending since they started.
_ENSURED: weakref.WeakSet[Jobs] = weakref.WeakSet()


# ----------------------------------------------------------------------------- retention


def schedule_retention(ctx: Context, due: datetime) -> None:
    """The next sweep. One row per day it runs (``key`` is its date): a job that sets its
    own kind and key again would be marked done by the runner right after."""
    ctx.jobs.schedule(ctx.session, kind=RETENTION, key="daily", due_at=due)


def ensure_retention(ctx: Context) -> None:
    """A pending sweep exists (made now, due at once, if not); asked once per runtime."""
    if ctx.jobs in _ENSURED:
        return
    pending = ctx.session.scalar(select(ScheduledJob.id).where(
        ScheduledJob.kind == RETENTION, ScheduledJob.state == JobState.PENDING.value).limit(1))
    if pending is None:
        schedule_retention(ctx, ctx.clock.now())
    after_commit(ctx.session, partial(_ENSURED.add, ctx.jobs))


async def start_retention(ctx: Context) -> None:
    """At start: the daily sweep exists (it sets itself again each day)."""
    ensure_retention(ctx)


async def retention_job(ctx: Context) -> None:
    now = ctx.clock.now()
    days = ctx.config.privacy.retention_days
    counts = privacy.sweep_retention(ctx.session, now, days)
    schedule_retention(ctx, now + DAY)
    log.info("retention: the text of %d recorded messages older than %d days deleted",
             sum(counts.values()), days)


async def on_talk(ctx: Context, _payload: dict[str, Any]) -> None:
    """Text may be recorded from now on: the sweep that deletes it in time must exist."""
    ensure_retention(ctx)


# ------------------------------------------------------------------------------- my-data


def someone_else(t: Translator) -> str:
    """What another person's Matrix id becomes in someone's file."""
    return t._("(another person)")


def _explanation(t: Translator, ctx: Context, records: int) -> str:
    return "\n".join([
        t._("**Your data**: the file {file} holds everything I keep about you, table by "
            "table, with what each table is for.").format(file=FILENAME),
        t.ngettext("It is {n} record.", "It is {n} records.", records).format(n=records),
        t._("Other people's Matrix ids in it are replaced by “{someone}”: it holds only what is "
            "about you.").format(someone=someone_else(t)),
        t._("The text of what you wrote during minutes is kept for {days} days; items, "
            "summaries and outcomes stay.").format(days=ctx.config.privacy.retention_days),
        t._("The homeserver keeps your messages in the rooms itself; they are not in the file. "
            "To erase what I keep, write {prefix} {verb}.").format(
            prefix=ctx.prefix, verb=verb_in(ctx, "forget-me")),
    ])


async def my_data(_command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    ensure_retention(ctx)
    tables = privacy.export(ctx.session, ctx.sender, keep=(ctx.bot_user_id,),
                            someone_else=someone_else(t))
    records = sum(len(rows) for rows in tables.values())
    document = {
        "about": t._("Everything salonbot keeps about {user}, as it was when the file was "
                     "made.").format(user=ctx.sender),
        "user_id": ctx.sender,
        "made_at": ctx.clock.now().isoformat(),
        "records": records,
        "retention_days": ctx.config.privacy.retention_days,
        "someone_else": someone_else(t),
        "tables": {name: {"what": t._(privacy.RULES[name].what), "rows": rows}
                   for name, rows in tables.items()},
    }
    data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode()
    attachment = Attachment(FILENAME, "application/json", data)
    text = _explanation(t, ctx, records)
    if ctx.is_direct:
        return [Reply(text, attachment=attachment)]
    return [Reply(t._("What I keep about you is for your eyes only, so I don't show it here: I "
                      "have sent it to our direct chat.")),
            Reply(text, direct_to=ctx.sender, attachment=attachment)]


# ----------------------------------------------------------------------------- forget-me


def _only_host_of(ctx: Context) -> list[Salon]:
    """Open salons where the person is the one host or co-host."""
    rows = ctx.session.scalars(select(Member).where(Member.user_id == ctx.sender)).all()
    salons = []
    for member in rows:
        salon = member.salon
        if member.is_host and salon.is_open and [m.user_id for m in salon.hosts()] == [
                ctx.sender]:
            salons.append(salon)
    return salons


def _ask(ctx: Context) -> Reply:
    t = ctx.t
    tables = privacy.export(ctx.session, ctx.sender, keep=(ctx.bot_user_id,))
    records = sum(len(rows) for rows in tables.values())
    command = f"{ctx.prefix} {verb_in(ctx, 'forget-me')} {YES_WORD.get(ctx.lang, 'yes')}"
    lines = [
        t._("**Forget me** erases everything I keep about you, everywhere: what you wrote "
            "during minutes, your items, your answers to meetings and polls, your memberships, "
            "your consent decisions and settings, undelivered messages and scheduled work that "
            "name you. Summaries that drew on what you wrote are made again without you; "
            "where you opened, planned or invited something, your name is taken off it."),
        t.ngettext("I keep {n} record about you now.", "I keep {n} records about you now.",
                   records).format(n=records),
        t._("It cannot be undone. To see it first, write {prefix} {verb}.").format(
            prefix=ctx.prefix, verb=verb_in(ctx, "my-data")),
    ]
    for salon in _only_host_of(ctx):
        lines.append(t._("You are the only host of {salon}: afterwards it has no host. Make "
                         "someone co-host first with {prefix} {verb} @name:server.").format(
            salon=salon_label(t, salon), prefix=ctx.prefix, verb=verb_in(ctx, "cohost")))
    lines.append(t._("To go ahead, write: {command}").format(command=command))
    return Reply("\n".join(lines))


def _withdraw_answers(ctx: Context) -> tuple[int, list[Reply]]:
    """Answers to meetings still ahead are withdrawn the way leaving withdraws them, so a
    waiting list moves up; the reactions that gave them are no longer watched."""
    now = ctx.clock.now()
    notices: list[Reply] = []
    rsvps = ctx.session.scalars(select(Rsvp).where(Rsvp.user_id == ctx.sender)).all()
    reactions = [r.reaction_event_id for r in rsvps if r.reaction_event_id]
    reactions += [v for v in ctx.session.scalars(select(PollVote.event_id).where(
        PollVote.user_id == ctx.sender)) if v]
    if reactions:
        ctx.session.execute(delete(WatchedEvent).where(WatchedEvent.event_id.in_(reactions)))
    withdrawn = 0
    for rsvp in rsvps:
        meeting = rsvp.meeting
        if not meeting.is_cancelled and meeting.ends_at > now:
            notices += withdraw(ctx, meeting, rsvp)
            withdrawn += 1
    return withdrawn, notices


def _drawn_again(ctx: Context) -> privacy.Regenerate | None:
    """What drew on the person, made again without them by its own area's code: stored
    summaries (one per capture and language), then final reports of closed salons (which
    carry those summaries); None while the areas offer no way to."""
    try:
        from handlers.report import write_final_report
        from handlers.summary import summary_for
    except ImportError:  # pragma: no cover - the areas are not there
        return None

    def regenerate(session: Session, table: Table, rows: list[Row[Any]]) -> set[int]:
        if table.name == FinalReport.__tablename__:
            return reports_again(session, rows)
        if table.name != StoredSummary.__tablename__:
            return set()
        groups: dict[tuple[int, str], list[int]] = {}
        for index, row in enumerate(rows):
            if row.capture_id is not None:
                groups.setdefault((row.capture_id, row.language), []).append(index)
        made: set[int] = set()
        for (capture_id, lang), indexes in groups.items():
            capture = session.get(Capture, capture_id)
            salon = session.get(Salon, capture.salon_id) if capture is not None else None
            if capture is None or salon is None:
                continue
            try:
                with session.begin_nested():
                    again = summary_for(replace(ctx, t=translator(lang)), salon, capture,
                                        force=True)
            except Exception as err:
                if is_transient(err):
                    raise
                # Deleted is safe: a summary is made again when someone asks for one.
                log.exception("forget-me: the summary of capture %s could not be made again; "
                              "it stays deleted", capture_id)
                continue
            if again is not None:
                made.update(indexes)
        return made

    def reports_again(session: Session, rows: list[Row[Any]]) -> set[int]:
        made: set[int] = set()
        for index, row in enumerate(rows):
            salon = session.get(Salon, row.salon_id)
            if salon is None:
                continue
            try:
                with session.begin_nested():
                    write_final_report(replace(ctx, t=translator(row.language)), salon)
            except Exception as err:
                if is_transient(err):
                    raise
                # Deleted is safe: the salon and everything the report showed stay.
                log.exception("forget-me: the final report of salon %s could not be made "
                              "again; it stays deleted", salon.id)
                continue
            made.add(index)
        return made

    return regenerate


def erased_lines(t: Translator, erased: privacy.Erased) -> list[str]:
    """One line per kind of thing erased, with its count."""
    lines = {
        "recorded_messages": lambda n: t.ngettext(
            "{n} message recorded during minutes", "{n} messages recorded during minutes", n),
        "minute_items": lambda n: t.ngettext("{n} minute item", "{n} minute items", n),
        "rsvps": lambda n: t.ngettext("{n} answer to a meeting", "{n} answers to meetings", n),
        "poll_votes": lambda n: t.ngettext("{n} vote in a poll", "{n} votes in polls", n),
        "members": lambda n: t.ngettext("{n} membership of a salon",
                                        "{n} memberships of salons", n),
        "consents": lambda n: t.ngettext("{n} consent decision", "{n} consent decisions", n),
        "user_settings": lambda n: t._("your settings"),
        "outbox": lambda n: t.ngettext("{n} undelivered message", "{n} undelivered messages",
                                       n),
        "scheduled_jobs": lambda n: t.ngettext("{n} scheduled job that named you",
                                               "{n} scheduled jobs that named you", n),
        "watched_events": lambda n: t.ngettext(
            "{n} message of mine to you that I watched for an answer",
            "{n} messages of mine to you that I watched for an answer", n),
    }
    out = []
    for name, counts in erased.tables.items():
        if name in lines and counts.deleted:
            out.append("- " + lines[name](counts.deleted).format(n=counts.deleted))
        elif counts.deleted and name != "summaries":
            out.append("- " + t.ngettext("{n} record in {table}", "{n} records in {table}",
                                         counts.deleted).format(n=counts.deleted, table=name))
    cleared = sum(c.cleared for c in erased.tables.values())
    if cleared:
        out.append("- " + t.ngettext(
            "your name taken off {n} thing you opened, planned, started or invited to",
            "your name taken off {n} things you opened, planned, started or invited to",
            cleared).format(n=cleared))
    scrubbed = sum(c.scrubbed for c in erased.tables.values())
    if scrubbed:
        out.append("- " + t.ngettext(
            "your Matrix id or a quote of you taken out of {n} text of others",
            "your Matrix id or a quote of you taken out of {n} texts of others",
            scrubbed).format(n=scrubbed))
    summaries = erased.tables.get("summaries")
    if summaries is not None and summaries.regenerated:
        out.append("- " + t.ngettext(
            "{n} summary made again without you", "{n} summaries made again without you",
            summaries.regenerated).format(n=summaries.regenerated))
    reports = erased.tables.get("final_reports")
    if reports is not None and reports.regenerated:
        out.append("- " + t.ngettext(
            "{n} final report of a closed salon made again without you",
            "{n} final reports of closed salons made again without you",
            reports.regenerated).format(n=reports.regenerated))
    if summaries is not None and summaries.deleted:
        out.append("- " + t.ngettext(
            "{n} stored summary that drew on what you wrote: deleted, and made again without "
            "you the next time someone asks for a summary",
            "{n} stored summaries that drew on what you wrote: deleted, and made again "
            "without you the next time someone asks for a summary",
            summaries.deleted).format(n=summaries.deleted))
    return out


async def forget_me(command: ParsedCommand, ctx: Context) -> list[Reply]:
    t = ctx.t
    confirmed = bool(command.args) and read_choice(command.args[0], {True: YES_WORDS}) is True
    ensure_retention(ctx)
    if not confirmed:
        return [_ask(ctx)]
    withdrawn, notices = _withdraw_answers(ctx)
    erased = privacy.erase(ctx.session, ctx.sender, watch=ctx.watch,
                           regenerate=_drawn_again(ctx))
    erased.of("rsvps").deleted += withdrawn
    lines = erased_lines(t, erased)
    if lines:
        text = [t._("**Done: I have forgotten you.** I erased:"), *lines]
    else:
        text = [t._("**Done.** I kept nothing about you, so there was nothing to erase.")]
    text += [
        t._("The homeserver keeps its own copy of your messages in the rooms; I cannot erase "
            "that. You can delete (redact) your messages in your Matrix app, or ask the "
            "homeserver's operator."),
        t._("You are still in the rooms on Matrix; leave them in your app if you want. If you "
            "take part again, I start afresh: nothing you write is recorded until you say "
            "yes."),
    ]
    log.info("forget-me: %d records erased or changed", erased.total + withdrawn)
    return [Reply("\n".join(text), anonymous=True), *notices]


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="my-data", handler=my_data,
        usage=N_("{prefix} my-data"),
        summary=N_("Sends you everything I keep about you, as a file in our direct chat"),
        aliases={"da": ("mine-data",), "nb": ("mine-data",), "sv": ("mina-data",)},
    ))
    registry.add(CommandSpec(
        name="forget-me", handler=forget_me,
        usage=N_("{prefix} forget-me [yes]"),
        summary=N_("Erases everything I keep about you (asks first)"),
        aliases={"da": ("glem-mig",), "nb": ("glem-meg",), "sv": ("glöm-mig",)},
    ))
    registry.job(RETENTION, retention_job)
    registry.on_start(start_retention)
    registry.on("talk", on_talk)
