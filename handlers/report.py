"""The final report ``close`` writes: built by ``bot.exports.report`` (the same report the
Markdown and HTML exports hold), stored as a ``FinalReport`` row, posted in the salon in the
salon's language and announced in the staff room in the staff room's language.

The row keeps the whole report's markup: the text posted when it fits in one message; when
it does not (many items), the room gets the first items and the whole report as a Markdown
attachment, and the row the whole.

People appear as in the exports, by the same rules (``bot.exports.scope``): by name only
with ``consent named``, otherwise under the installation's stable pseudonym (``P-…``), a
Matrix id inside any text (an outcome's answer, a summary, the closing statement) too; an
item's words only while its author consents; a summary of minutes that recorded someone who
has since withdrawn is left out. So a case worker who reads the report and then the
exported tables follows the same person across both. (The minutes' "Participant n" is a
number per salon; one report read beside the exports matters more than matching the
minutes, and the ids in the stored summaries are masked like every other text, so the
report holds one kind of pseudonym only.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.context import Context
from bot.db import Salon
from bot.db.models import FinalReport
from bot.documents import Block, to_markdown, to_source
from bot.exports.options import ExportOptions
from bot.exports.people import People
from bot.exports.report import (
    Layout,
    SalonReport,
    build,
    counts_words,
    in_room_cut,
    outcome_blocks,
    overview_blocks,
    report_blocks,
    report_title,
    role_counts,
    salon_name,
)
from bot.exports.scope import Scope
from bot.i18n import Translator, translator
from bot.replies import Attachment, Reply, escape_markup
from bot.summariser.text import shorten
from bot.words import kind_name, status_name
from handlers.checks import verb_in
from handlers.describe import room_link, salon_translator
from handlers.outcomes import staff_translator

MARKDOWN: Final = "text/markdown"
#: A Matrix event holds at most 64 KiB, and carries the text twice (plain and HTML, æøå in
#: two bytes each); a report longer than this in the room is posted as its overview and
#: outcomes, with the whole report attached.
ROOM_LIMIT: Final = 12_000
OUTCOME_TEXT: Final = 200


def report_scope(ctx: Context, salon: Salon, people: People | None = None) -> Scope:
    """What the final report may show: the export's rules, for this salon, at this time."""
    now = ctx.clock.now()
    options = ExportOptions("md", salon_id=salon.id, language=salon_translator(ctx, salon).lang,
                            timezone=salon.timezone or ctx.config.bot.timezone,
                            retention_days=ctx.config.privacy.retention_days)
    return Scope(people or People.of(ctx.session, now), options, now)


@dataclass(frozen=True)
class Written:
    """A final report as stored, and what the room is shown of it."""

    report: SalonReport
    full: list[Block]
    posted: str
    attach: bool
    t: Translator


def write_final_report(ctx: Context, salon: Salon, people: People | None = None) -> Written:
    """Builds the salon's final report and stores it (replacing an earlier one): at ``close``,
    and again without a person after their ``forget-me``."""
    scope = report_scope(ctx, salon, people)
    now = scope.now
    lang = scope.options.language
    t = translator(lang)
    zone = ZoneInfo(scope.options.timezone)
    report = build(ctx.session, salon, scope, lang=lang)
    full = report_blocks(report, Layout(t, zone))
    posted = to_source(report_blocks(report, Layout(t, zone, in_room=True)))
    attach = in_room_cut(report)
    if len(posted) > ROOM_LIMIT:
        attach = True
        short: list[Block] = [["title", report_title(t, report)]]
        short += overview_blocks(report, Layout(t, zone))
        short += outcome_blocks(report, Layout(t, zone, in_room=True))
        posted = shorten_source(to_source(short))
    source = to_source(full)
    stored = ctx.session.scalar(select(FinalReport).where(FinalReport.salon_id == salon.id))
    if stored is None:
        ctx.session.add(FinalReport(salon_id=salon.id, language=lang, source=source,
                                    created_at=now))
    else:
        stored.language, stored.source, stored.created_at = lang, source, now
    return Written(report, full, posted, attach, t)


def final_report(ctx: Context, salon: Salon, people: People | None = None) -> list[Reply]:
    """Writes and stores the report of a salon that has just been closed; the replies post it
    in the salon and announce it in the staff room (if there is one)."""
    written = write_final_report(ctx, salon, people)
    t = written.t
    replies = [Reply(written.posted)]
    if written.attach:
        replies.append(Reply(
            t._("The whole final report as Markdown, with every item in full."),
            attachment=Attachment(f"final-report-salon-{salon.id}.md", MARKDOWN,
                                  to_markdown(written.full).encode())))
    if ctx.staff_room_id:
        replies.append(Reply(staff_announcement(ctx, salon, written.report),
                             room_id=ctx.staff_room_id))
    return replies


def shorten_source(source: str) -> str:
    if len(source) <= ROOM_LIMIT:
        return source
    return source[:ROOM_LIMIT].rsplit("\n", 1)[0] + "\n…"


def staff_announcement(ctx: Context, salon: Salon, report: SalonReport) -> str:
    t = staff_translator(ctx)
    lines = [t._("**{salon} has been closed**, and its final report is written.").format(
        salon=escape_markup(salon_name(t, report))),
        t._("The salon's room: {link}").format(link=room_link(ctx, salon))]
    if report.closing_statement:
        lines.append(t._("Closing statement: {statement}").format(
            statement=escape_markup(report.closing_statement)))
    lines.append(t._("Took part: {roles}.").format(roles=role_counts(t, report.by_role)))
    lines.append(t._("In numbers:") + " " + counts_words(t, report))
    waiting = report.open_outcomes
    if waiting:
        lines.append(t.ngettext("**{n} outcome still waits for an answer:**",
                                "**{n} outcomes still wait for an answer:**",
                                len(waiting)).format(n=len(waiting)))
        lines += [f"- **{o.ref}** ({kind_name(t, o.kind)}; {status_name(t, o.status)}): "
                  + escape_markup(shorten(o.text, OUTCOME_TEXT)) for o in waiting]
        lines.append(t._("Answer one with {prefix} {respond} {ref} \"text\".").format(
            prefix=ctx.prefix, respond=verb_in(ctx, "respond", t.lang), ref=waiting[0].ref))
    lines.append(t._("Export the report with {prefix} {export} html --salon #{id} (a web page) "
                     "or {prefix} {export} md --salon #{id} (Markdown).").format(
        prefix=ctx.prefix, export=verb_in(ctx, "export", t.lang), id=salon.id))
    return "\n".join(lines)
