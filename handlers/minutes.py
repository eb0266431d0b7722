"""``minutes [<n>] [--file]``: the minutes of a meeting (or of the last capture).

Who was there, counted by role (citizen, politician, staff: the role the hosts gave them when
they invited them, and the minutes say so); people are named only with ``consent named``,
everyone else is counted and, where an item needs it, shown under a pseudonym that does not
reveal their Matrix id. Then the items by kind, and the stored summary (made now if there is
none). ``--file`` sends the same minutes as an HTML page and a Markdown file.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import select

from bot import consent
from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope
from bot.context import Context
from bot.db import Capture, ConsentLevel, Meeting, Member, MemberStatus, RecordedMessage, Salon
from bot.i18n import N_, Translator
from bot.parser import ParsedCommand
from bot.replies import Attachment, Reply, escape_markup
from bot.words import role_name
from handlers.checks import salon_of
from handlers.describe import role_counts
from handlers.meetings import find_meeting
from handlers.summary import (
    Block,
    basis,
    data_of,
    demoted,
    html_document,
    item_blocks,
    last_capture,
    meeting_words,
    no_capture,
    period_words,
    summary_for,
    text,
    to_markdown,
    to_source,
)

HTML: Final = "text/html"
MARKDOWN: Final = "text/markdown"


def present(ctx: Context, salon: Salon, capture: Capture) -> list[Member]:
    """Who was in the room while the minutes were taken (and everyone whose words were
    recorded then), from when each last joined and left."""
    end = capture.ended_at or ctx.clock.now()
    writers = set(ctx.session.scalars(select(RecordedMessage.user_id).where(
        RecordedMessage.capture_id == capture.id)))
    found = []
    for member in salon.members:
        if member.user_id == ctx.bot_user_id:
            continue
        if member.user_id in writers:
            found.append(member)
        elif member.joined_at is None or member.joined_at > end:
            continue
        elif member.status == MemberStatus.JOINED.value or member.left_at is None \
                or member.left_at >= capture.started_at or member.left_at < member.joined_at:
            found.append(member)
    return found


def capture_of(ctx: Context, salon: Salon, meeting: Meeting) -> Capture | None:
    return ctx.session.scalar(select(Capture).where(Capture.salon_id == salon.id,
                                                    Capture.meeting_id == meeting.id)
                              .order_by(Capture.started_at.desc(), Capture.id.desc()).limit(1))


def attendance(ctx: Context, salon: Salon, capture: Capture, t: Translator) -> list[Block]:
    people = present(ctx, salon, capture)
    blocks: list[Block] = [["heading", t._("Who was there")]]
    if people:
        blocks.append(["para", [text(t.ngettext(
            "{n} person was in the room while the minutes were taken: {roles}.",
            "{n} people were in the room while the minutes were taken: {roles}.",
            len(people)).format(n=len(people), roles=role_counts(t, people)))]])
    else:
        blocks.append(["para", [text(t._("Nobody was in the room while the minutes were "
                                         "taken."))]])
    blocks.append(["para", [text(t._(
        "Citizens, politicians and staff are counted by the role the hosts gave them when "
        "they invited them; everyone else counts as a citizen."))]])
    named = [m for m in people
             if consent.level_of(ctx.session, m.user_id, salon.id) is ConsentLevel.NAMED]
    if named:
        blocks.append(["para", [text(t._("Named, as they chose: {people}.").format(
            people=", ".join(f"{m.user_id} ({role_name(t, m.role)})" for m in named)))]])
    others = len(people) - len(named)
    if others:
        blocks.append(["para", [text(t.ngettext(
            "{n} person is not named, because they did not choose to be.",
            "{n} people are not named, because they did not choose to be.", others).format(
            n=others))]])
    found = basis(ctx, capture)
    recorded = len(found.messages) + found.deleted
    counted = sum(found.counted.values())
    blocks.append(["para", [text(
        t.ngettext("{n} message was recorded from people who said yes",
                   "{n} messages were recorded from people who said yes", recorded).format(
            n=recorded) + "; " + t.ngettext(
            "{n} message of the others was counted, without its words.",
            "{n} messages of the others were counted, without their words.", counted).format(
            n=counted))]])
    return blocks


def summary_part(ctx: Context, salon: Salon, capture: Capture, t: Translator) -> list[Block]:
    """The stored summary without its items and its period (the minutes have both)."""
    found = summary_for(ctx, salon, capture)
    if found is None:
        return [["heading", t._("Summary of the discussion")],
                ["para", [text(t._("Nothing was recorded, so there is no summary."))]]]
    blocks = data_of(found).get("blocks")
    if not isinstance(blocks, list):
        return [["heading", t._("Summary of the discussion")],
                *[["para", [text(line)]] for line in found.source.splitlines() if line]]
    kept: list[Block] = []
    skipping = False
    for block in blocks:
        kind = block[0]
        tag = block[2] if len(block) > 2 else None
        if kind in ("title", "heading"):
            skipping = tag == "items"
        if not skipping and tag != "period":
            kept.append(block[:2])
    return demoted(kept)


def minutes_blocks(ctx: Context, salon: Salon, capture: Capture, meeting: Meeting | None,
                   t: Translator, *, in_room: bool) -> tuple[str, list[Block]]:
    title = t._("Minutes of {what}").format(what=meeting_words(t, meeting))
    blocks: list[Block] = [["title", title]]
    blocks.append(["para", [text(t._("Salon: {salon}").format(
        salon=t._("#{id} “{title}”").format(id=salon.id, title=salon.title)))]])
    blocks.append(["para", [text(t._("When: {when}.").format(
        when=period_words(ctx, t, salon, capture)))]])
    blocks += attendance(ctx, salon, capture, t)
    items = basis(ctx, capture).items
    blocks.append(["heading", t._("Items from the minutes")])
    if items:
        blocks += item_blocks(ctx, salon, items, t, author=True, in_room=in_room)
    else:
        blocks.append(["para", [text(t._("No items were added."))]])
    blocks += summary_part(ctx, salon, capture, t)
    return title, blocks


def file_name(salon: Salon, capture: Capture, meeting: Meeting | None, started: datetime,
              suffix: str) -> str:
    if meeting is not None:
        return f"minutes-salon-{salon.id}-meeting-{meeting.number}.{suffix}"
    return f"minutes-salon-{salon.id}-{started:%Y-%m-%d}-{capture.id}.{suffix}"


async def minutes_command(command: ParsedCommand, ctx: Context) -> Reply | list[Reply]:
    t = ctx.t
    salon = salon_of(ctx)
    meeting: Meeting | None
    if command.args:
        meeting = find_meeting(ctx, salon, command.args[0])
        capture = capture_of(ctx, salon, meeting)
        if capture is None:
            raise Refusal(t._("No minutes were taken for {meeting}. A host takes them with "
                              "{prefix} start {n} when it begins.").format(
                meeting=escape_markup(meeting_words(t, meeting)), prefix=ctx.prefix,
                n=meeting.number))
    else:
        found = last_capture(ctx, salon)
        if found is None:
            raise no_capture(ctx)
        capture = found
        meeting = ctx.session.get(Meeting, capture.meeting_id) if capture.meeting_id else None
    as_file = bool(command.option("file") or command.option("fil"))
    title, blocks = minutes_blocks(ctx, salon, capture, meeting, t, in_room=not as_file)
    if not as_file:
        return Reply(to_source(blocks))
    what = escape_markup(meeting_words(t, meeting))
    page = html_document(blocks, title, t.lang).encode()
    markdown = to_markdown(blocks).encode()
    return [
        Reply(t._("The minutes of {what} as a web page (HTML).").format(what=what),
              attachment=Attachment(file_name(salon, capture, meeting, capture.started_at,
                                              "html"), HTML, page)),
        Reply(t._("The minutes of {what} as Markdown, to edit or pass on.").format(what=what),
              attachment=Attachment(file_name(salon, capture, meeting, capture.started_at,
                                              "md"), MARKDOWN, markdown)),
    ]


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="minutes", handler=minutes_command,
        usage=N_("{prefix} minutes [<meeting number>] [--file]"),
        summary=N_("The minutes of a meeting: who was there, the items and the summary; "
                   "--file sends them as HTML and Markdown"),
        scope=Scope.SALON, permission=Permission.MEMBER,
        aliases={"da": ("mødereferat", "protokol"), "nb": ("møtereferat",),
                 "sv": ("mötesprotokoll",)},
        flags=frozenset({"file", "fil"}),
    ))
