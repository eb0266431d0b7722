"""``export csv|xlsx|json|md|html|ics [since <date>] [--salon <ref>]`` in the staff room.

The same export as ``salonbot export`` (``bot.exports.run``, one code path), written into a
temporary folder and uploaded into the staff room (encrypted where the room is): the file
itself, or a ZIP where the export is several files (the CSV tables with their
``datapackage.json``, the pages of the static site). The export is logged with the staff
member and listed in ``digest``. The files are in the municipality's default language
(``bot.default_language``); the reply is in the reader's.

The files are written and packed in a worker thread (``write_export_apart``, which says why
that is safe beside the command's session), so the event loop is not held up while a large
export is written: timers fire, held-back messages leave, a stop is heard. The next commands
and events still wait for this one, as they wait for any command.

A file larger than the homeserver accepts (``RoomPort.upload_limit``; ``UNKNOWN_LIMIT`` when
it does not say) would never arrive: it is not sent and not logged, and the reply says how
large it was, the limit, and how to make it smaller.
"""

from __future__ import annotations

import math
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from babel.numbers import format_decimal

from bot.commands import CommandSpec, Permission, Refusal, Registry, Scope, UsageError
from bot.context import Context
from bot.exports.options import FORMATS, ExportOptions
from bot.exports.run import ExportResult, log_export, write_export_apart
from bot.i18n import N_
from bot.parser import ParsedCommand
from bot.replies import Attachment, Reply, escape_markup
from bot.when.since import without_since_word
from handlers.checks import verb_in
from handlers.refs import BadReference, find_salon
from handlers.staff import since_or_refuse

#: The largest file sent when the homeserver does not say what it accepts: below Synapse's
#: default ``max_upload_size`` (50 MiB), which most servers keep.
UNKNOWN_LIMIT: Final = 40 * 1024 * 1024
MEGABYTE: Final = 1024 * 1024

MIMETYPES: Final = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ics": "text/calendar",
    ".md": "text/markdown",
    ".html": "text/html",
    ".zip": "application/zip",
}


def _formats(ctx: Context) -> str:
    return ctx.t._("Write the format: {formats}. For example: {prefix} {verb} csv, or "
                   "{prefix} {verb} xlsx since 2026-03-01 --salon #12.").format(
        formats=", ".join(FORMATS), prefix=ctx.prefix,
        verb=verb_in(ctx, "export"))


def _since(ctx: Context, words: tuple[str, ...]) -> datetime | None:
    """``since <date>``: read as the digest reads it (``bot.when.since``)."""
    if not words:
        return None
    rest = without_since_word(words)
    if rest == words:
        raise UsageError(ctx.t._("I don't know what “{text}” means here.").format(
            text=escape_markup(" ".join(words))) + " " + _formats(ctx))
    text = " ".join(rest).strip()
    if not text:
        raise UsageError(ctx.t._("Write the date after “since”.") + " " + _formats(ctx))
    return since_or_refuse(ctx, text, _formats(ctx))


@dataclass(frozen=True, slots=True)
class Packed:
    result: ExportResult
    #: The size of the file to send, in bytes.
    size: int
    #: The file; None when it is larger than the limit (then it was never read).
    attachment: Attachment | None


def _bundle(result: ExportResult, folder: Path, stamp: str, limit: int) -> Packed:
    """The one file, or a ZIP of them all (folders kept, as the site links its pages),
    beside ``folder``; read into the reply only when it is at most ``limit`` bytes."""
    if len(result.files) == 1:
        [path] = result.files
        name = path.name
        mimetype = MIMETYPES.get(path.suffix, "application/octet-stream")
    else:
        name = f"salonbot-export-{stamp}-{result.format}.zip"
        mimetype = MIMETYPES[".zip"]
        path = folder.parent / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for written in result.files:
                archive.write(written, written.relative_to(folder).as_posix())
    size = path.stat().st_size
    if size > limit:
        return Packed(result, size, None)
    return Packed(result, size, Attachment(filename=name, mimetype=mimetype,
                                           data=path.read_bytes()))


def _file_size(ctx: Context, size: int, *, up: bool) -> str:
    """``12,4 MB`` or ``900 kB`` in the reader's way of writing numbers (1024 bytes a
    kilobyte, as file managers count). The file's size is rounded up and the limit down, so
    a file over the limit never reads as if it fitted."""
    if size < MEGABYTE:
        kilobytes = math.ceil(size / 1024) if up else size // 1024
        return format_decimal(kilobytes, locale=ctx.t.locale) + " kB"
    tenths = size * 10 / MEGABYTE
    tenths = math.ceil(tenths) if up else math.floor(tenths)
    return format_decimal(tenths / 10, format="#,##0.#", locale=ctx.t.locale) + " MB"


def _too_large(ctx: Context, packed: Packed, limit: int, server_said: bool) -> str:
    t = ctx.t
    size = _file_size(ctx, packed.size, up=True)
    most = _file_size(ctx, limit, up=False)
    if server_said:
        first = t._("The export as {format} came to {size}, but the homeserver takes files "
                    "of at most {limit}: it would never arrive, so I have not sent it.")
    else:
        first = t._("The export as {format} came to {size}. The homeserver does not say how "
                    "large a file it takes, so I send at most {limit}, and I have not sent "
                    "it.")
    lines = [first.format(format=packed.result.format, size=size, limit=most),
             t._("Make it smaller with --salon <ref> (one salon) or since <date> (only what "
                 "is new or changed), for example: {prefix} {verb} {format} since 2026-03-01 "
                 "--salon #12. Or ask the operator to run salonbot export on the server, "
                 "which writes files of any size.").format(
                 prefix=ctx.prefix, verb=verb_in(ctx, "export"), format=packed.result.format),
             t._("Nothing was exported, so nothing was logged.")]
    return "\n".join(lines)


def _what(ctx: Context, result: ExportResult, options: ExportOptions, salon_ref: str | None,
          since_text: str | None) -> str:
    t = ctx.t
    if result.is_report:
        lines = [t.ngettext("**The export as {format}**: the report of {n} salon and an index.",
                            "**The export as {format}**: the reports of {n} salons and an "
                            "index.", result.total).format(format=result.format,
                                                           n=result.total)]
    else:
        lines = [t.ngettext("**The export as {format}**: {rows} row.",
                            "**The export as {format}**: {rows} rows.", result.total).format(
            format=result.format, rows=result.total)]
    if result.rows and not result.is_report:
        lines.append(t._("Tables: {counts}.").format(
            counts=", ".join(f"{name} {n}" for name, n in result.rows.items())))
    if salon_ref:
        lines.append(t._("Only the salon {ref}.").format(ref=escape_markup(salon_ref)))
    if since_text:
        lines.append(t._("Only what was created or changed since {date}.").format(
            date=escape_markup(since_text)))
    lines.append(t._("People appear under pseudonyms (P-…) unless they chose to be named "
                     "(consent named); messages only of those who consent and within the "
                     "retention period. The export is logged."))
    return "\n".join(lines)


async def export_command(command: ParsedCommand, ctx: Context) -> Reply:
    t = ctx.t
    if not command.args:
        raise UsageError(_formats(ctx))
    fmt = command.args[0].casefold().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(t._("“{value}” is not an export format.").format(
            value=escape_markup(command.args[0])) + " " + _formats(ctx))
    since = _since(ctx, tuple(command.args[1:]))
    ref = command.option("salon")
    salon_id = None
    if isinstance(ref, str):
        try:
            salon = await find_salon(ctx.session, ctx.rooms, ref)
        except BadReference:
            raise UsageError(t._("“{ref}” is no salon reference: write its number (#12) or "
                                 "its room alias.").format(ref=escape_markup(ref))) from None
        if salon is None:
            raise Refusal(t._("There is no salon {ref}.").format(ref=escape_markup(ref)))
        salon_id = salon.id
    bot = ctx.config.bot
    options = ExportOptions(format=fmt, since=since, salon_id=salon_id,
                            language=bot.default_language, timezone=bot.timezone,
                            retention_days=ctx.config.privacy.retention_days,
                            server=ctx.bot_user_id.split(":", 1)[-1])
    now = ctx.clock.now()
    server_limit = await ctx.rooms.upload_limit()
    limit = server_limit if server_limit is not None else UNKNOWN_LIMIT
    stamp = now.date().isoformat()
    with tempfile.TemporaryDirectory(prefix="salonbot-export-") as tmp:
        folder = Path(tmp) / "export"
        packed = await write_export_apart(
            ctx.session, options, folder, now=now,
            finish=lambda result: _bundle(result, folder, stamp, limit))
    if packed.attachment is None:
        raise Refusal(_too_large(ctx, packed, limit, server_limit is not None))
    result = packed.result
    log_export(ctx.session, result, options, by_user=ctx.sender, via="staff-room", now=now)
    since_text = " ".join(command.args[2:]) if since is not None else None
    return Reply(_what(ctx, result, options, ref if isinstance(ref, str) else None,
                       since_text), attachment=packed.attachment)


def register(registry: Registry) -> None:
    registry.add(CommandSpec(
        name="export", handler=export_command,
        usage=N_("{prefix} export csv|xlsx|json|md|html|ics [since <date>] [--salon <ref>]"),
        summary=N_("Sends the salons' data as a file: tables, a report or a calendar"),
        scope=Scope.STAFF_ROOM, permission=Permission.STAFF,
        aliases={"da": ("eksport", "eksporter"), "nb": ("eksport", "eksporter"),
                 "sv": ("exportera",)},
        value_options=frozenset({"salon"}),
    ))
