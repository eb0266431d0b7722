"""The map of personal data, and the three things done with it: my-data, forget-me, retention.

The schema declares the map itself: a column that holds personal data says so with
``info={"personal": <kind>}`` in ``bot/db/models.py``:

``user``
    a Matrix user id of a person (the one the row is about, or who did something);
``text``
    text a person wrote (a message, an item, a meeting's title); it may name others;
``mentions``
    text or JSON the bot made that may hold user ids or quote people (a reply waiting in
    the outbox, a job's payload, a stored summary);
``none``
    a column whose name suggests a person but holds nothing about one (said explicitly, so
    the check below knows it was looked at).

Each table holding personal data has a ``Rule`` in ``RULES``: which user columns make a row
the person's (forget-me deletes it), which only name them (set to NULL), which rows that
merely mention them go, and whether rows are drawn on their words (a summary: made again
without them, or deleted). Every ``text`` and ``mentions`` column of the rows that stay has
the person's id taken out. ``my-data`` and ``forget-me`` walk ``Base.metadata`` with these
rules, so a table added later reaches both as soon as it is declared, and ``problems``
(tested) fails for a table or column that looks personal but was never declared.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, delete, or_, select, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from bot.db import (
    Base,
    Capture,
    FinalReport,
    MinuteItem,
    RecordedMessage,
    StoredSummary,
    WatchedEvent,
)
from bot.db.session import after_commit
from bot.i18n import N_
from bot.replies import without_reply_fallback
from bot.watch import Watch

log = logging.getLogger("salonbot.privacy")

KINDS = frozenset({"user", "text", "mentions", "none"})

#: Column names that suggest a person; such a column must say what it holds (``info``).
PERSONAL_NAME = re.compile(
    r"^(user|user_id|person|author|assignee|direct_to|requested_by|body|text|source|title|"
    r"topic|place|payload|extra|data|key|mentions|name|display_name|note|comment)$"
    r"|_by$|_user$|_user_id$|_statement$|_text$|_key$|_error$|_name$")

#: A Matrix user id inside text (``@name:server``, a port allowed).
USER_ID = re.compile(r"@[A-Za-z0-9._=\-/+]+:[A-Za-z0-9.\-]+(?::\d+)?")

#: What the person's id becomes in text that stays (someone else's message that named them).
REMOVED = "[…]"
#: What another person's id becomes in an export.
SOMEONE_ELSE = "(another person)"


@dataclass(frozen=True)
class Rule:
    """What forget-me does to one table (and so what my-data shows of it).

    ``delete``: user columns; a row naming the person in one of them is theirs and is
    deleted. ``clear``: user columns that only say the person did something (opened,
    invited, started); set to NULL. ``delete_naming``: mentions columns; a row naming the
    person there anywhere is deleted. ``drawn_on``: the ids of rows made from the person's
    words (asked before anything is erased); they are made again without them, or deleted.
    ``what`` says what the rows are, for the reader of my-data.
    """

    what: str
    delete: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()
    delete_naming: tuple[str, ...] = ()
    drawn_on: Callable[[str], Select[Any]] | None = None


def _summaries_drawn_on(user_id: str) -> Select[Any]:
    captures = select(RecordedMessage.capture_id).where(RecordedMessage.user_id == user_id) \
        .union(select(MinuteItem.capture_id).where(MinuteItem.user_id == user_id))
    return select(StoredSummary.id).where(StoredSummary.capture_id.in_(captures))


def _final_reports_drawn_on(user_id: str) -> Select[Any]:
    """Reports of salons where the person's words (items, recorded messages) were read."""
    salons = select(MinuteItem.salon_id).where(MinuteItem.user_id == user_id).union(
        select(Capture.salon_id).join(RecordedMessage, RecordedMessage.capture_id == Capture.id)
        .where(RecordedMessage.user_id == user_id))
    return select(FinalReport.id).where(FinalReport.salon_id.in_(salons))


RULES: dict[str, Rule] = {
    "salons": Rule(N_("Salons you opened."), clear=("created_by",)),
    "members": Rule(N_("Your place in salons: role, standing, when you were invited and "
                       "joined."), delete=("user_id",), clear=("invited_by",)),
    "user_settings": Rule(N_("Your settings (your language)."), delete=("user_id",)),
    "consents": Rule(N_("Every consent decision you made, with its time."),
                     delete=("user_id",)),
    "outbox": Rule(N_("Messages to you, or answers to your commands, not delivered yet."),
                   delete=("direct_to", "requested_by")),
    "scheduled_jobs": Rule(N_("Work the bot will do that names you."), delete=("person",),
                           delete_naming=("key", "payload")),
    "watched_events": Rule(N_("Messages of the bot to you that it watches for an answer (a "
                              "consent notice)."), delete_naming=("key",)),
    "recording_rooms": Rule(N_("Minutes you started that are running now."),
                            clear=("started_by",)),
    "meeting_series": Rule(N_("Weekly meetings you planned."), clear=("created_by",)),
    "meetings": Rule(N_("Meetings you planned."), clear=("created_by",)),
    "rsvps": Rule(N_("Your answers to meetings."), delete=("user_id",)),
    "findtime_polls": Rule(N_("Polls for a meeting time you started."), clear=("created_by",)),
    "poll_votes": Rule(N_("Your votes in polls for a meeting time."), delete=("user_id",)),
    "captures": Rule(N_("Minutes you started."), clear=("started_by",)),
    "recorded_messages": Rule(N_("What you wrote while minutes were taken, after you said "
                                 "yes."), delete=("user_id",)),
    "minute_items": Rule(N_("Minute items you added or that were given to you."),
                         delete=("user_id",), clear=("assignee",)),
    "summaries": Rule(N_("Summaries that drew on what you wrote (only when and how they "
                         "were made: their text is about the whole conversation)."),
                      drawn_on=_summaries_drawn_on),
    "outcomes": Rule(N_("Outcomes for the municipality you wrote as host (they belong to the "
                        "salon and stay, without your name)."), clear=("created_by",)),
    "outcome_events": Rule(N_("Answers and status changes you gave to outcomes as staff (they "
                              "stay, without your name)."), clear=("by_user",)),
    "final_reports": Rule(N_("Final reports of closed salons that name you (your id is taken "
                             "out)."), drawn_on=_final_reports_drawn_on),
    "exports": Rule(N_("Exports you made as staff (the log keeps them, without your name)."),
                    clear=("by_user",)),
}


# ------------------------------------------------------------------------------ the map


def personal_columns(metadata: Any = None) -> dict[str, dict[str, str]]:
    """Table → column → kind, for every column declared personal (kind ``none`` left out)."""
    tables = (Base.metadata if metadata is None else metadata).tables
    found: dict[str, dict[str, str]] = {}
    for name, table in tables.items():
        columns = {c.name: str(c.info["personal"]) for c in table.columns
                   if c.info.get("personal") not in (None, "none")}
        if columns:
            found[name] = columns
    return found


def problems(metadata: Any = None, rules: Mapping[str, Rule] | None = None) -> list[str]:
    """What is wrong with the map: a column that looks personal but says nothing, an unknown
    kind, a personal table without a rule, a rule that leaves a user column alone or names
    a column that is not there. Empty when forget-me reaches everything."""
    metadata = Base.metadata if metadata is None else metadata
    rules = RULES if rules is None else rules
    found: list[str] = []
    for name, table in metadata.tables.items():
        for column in table.columns:
            kind = column.info.get("personal")
            if kind is None and PERSONAL_NAME.search(column.name):
                found.append(f"{name}.{column.name} looks like personal data but has no "
                             "info={'personal': ...} (user, text, mentions, or none)")
            elif kind is not None and kind not in KINDS:
                found.append(f"{name}.{column.name} has the unknown kind {kind!r}")
    personal = personal_columns(metadata)
    for name, columns in personal.items():
        rule = rules.get(name)
        if rule is None:
            found.append(f"{name} holds personal data ({', '.join(sorted(columns))}) but has "
                         "no forget-me rule in bot.privacy.RULES")
            continue
        for column in (*rule.delete, *rule.clear):
            if columns.get(column) != "user":
                found.append(f"RULES[{name!r}] deletes or clears {column}, which is not a "
                             "user column of the table")
        for column in rule.delete_naming:
            if columns.get(column) not in ("mentions", "text"):
                found.append(f"RULES[{name!r}] deletes rows naming the person in {column}, "
                             "which is not a text or mentions column of the table")
        for column, kind in columns.items():
            if kind == "user" and column not in (*rule.delete, *rule.clear):
                found.append(f"{name}.{column} holds a user id, but forget-me neither deletes "
                             "the row nor clears it (RULES)")
    for name in rules:
        if name not in personal:
            found.append(f"RULES has {name!r}, but that table holds no declared personal data")
    return found


def _tables(metadata: Any = None) -> list[tuple[Table, Rule, dict[str, str]]]:
    metadata = Base.metadata if metadata is None else metadata
    personal = personal_columns(metadata)
    return [(metadata.tables[name], RULES[name], personal[name])
            for name in metadata.tables if name in personal and name in RULES]


def _naming(table: Table, rule: Rule, columns: Mapping[str, str],
            user_id: str) -> list[ColumnElement[bool]]:
    """Conditions for the rows that are the person's or are about them."""
    conditions: list[ColumnElement[bool]] = [
        table.c[c] == user_id for c, kind in columns.items() if kind == "user"]
    conditions += [table.c[c].contains(user_id, autoescape=True) for c in rule.delete_naming]
    return conditions


# ------------------------------------------------------------------------------ my-data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def mask_others(text: str, user_id: str, keep: Iterable[str] = (),
                someone_else: str = SOMEONE_ELSE) -> str:
    """Other people's user ids in ``text`` replaced: an export holds only the person's."""
    kept = {user_id, *keep}
    return USER_ID.sub(lambda m: m.group(0) if m.group(0) in kept else someone_else, text)


def _export_value(value: Any, kind: str | None, user_id: str, keep: tuple[str, ...],
                  someone_else: str) -> Any:
    if not isinstance(value, str) or kind is None:
        return _plain(value)
    if kind == "user":
        return value if value == user_id or value in keep else someone_else
    masked = mask_others(value, user_id, keep, someone_else)
    if kind == "mentions" and masked.startswith(("{", "[")):
        try:
            return json.loads(masked)
        except ValueError:
            return masked
    return masked


def export(session: Session, user_id: str, *, keep: Iterable[str] = (),
           someone_else: str = SOMEONE_ELSE,
           metadata: Any = None) -> dict[str, list[dict[str, Any]]]:
    """Every row about the person, table by table (every table of the map, empty ones too).
    Other people's ids become ``someone_else``; ids in ``keep`` (the bot's) stay. Rows drawn
    on the person's words show only when and how they were made."""
    keep = tuple(keep)
    result: dict[str, list[dict[str, Any]]] = {}
    for table, rule, columns in _tables(metadata):
        rows: list[dict[str, Any]] = []
        conditions = _naming(table, rule, columns, user_id)
        if conditions:
            order = list(table.primary_key.columns)
            for row in session.execute(select(table).where(or_(*conditions)).order_by(*order)):
                rows.append({c: _export_value(v, columns.get(c), user_id, keep, someone_else)
                             for c, v in row._mapping.items()})
        if rule.drawn_on is not None:
            key = next(iter(table.primary_key.columns))
            ids = rule.drawn_on(user_id)
            plain = [c for c in table.columns if c.name not in columns]
            for row in session.execute(select(*plain).where(key.in_(ids)).order_by(key)):
                rows.append({c: _plain(v) for c, v in row._mapping.items()})
        result[table.name] = rows
    return result


# ---------------------------------------------------------------------------- forget-me


@dataclass
class Counts:
    """What forget-me did to one table: rows deleted, ids cleared, texts that named the
    person and lost the id, rows drawn on their words made again."""

    deleted: int = 0
    cleared: int = 0
    scrubbed: int = 0
    regenerated: int = 0

    def __bool__(self) -> bool:
        return bool(self.deleted or self.cleared or self.scrubbed or self.regenerated)


@dataclass
class Erased:
    tables: dict[str, Counts] = field(default_factory=dict)

    def of(self, table: str) -> Counts:
        return self.tables.setdefault(table, Counts())

    @property
    def total(self) -> int:
        return sum(c.deleted + c.cleared + c.scrubbed + c.regenerated
                   for c in self.tables.values())


#: Makes rows drawn on the person's words again, without them: called with the rows
#: (already deleted, the person's own rows gone too), it returns the indexes of those it made
#: again; the others stay deleted.
Regenerate = Callable[[Session, Table, list[Row[Any]]], set[int]]


def scrub(value: str, user_id: str) -> str:
    """``value`` without the person's id: taken out of JSON lists (a mentions list), replaced
    by ``REMOVED`` in text."""
    if value.startswith(("{", "[")):
        try:
            data = json.loads(value)
        except ValueError:
            pass
        else:
            return json.dumps(_scrub_json(data, user_id), ensure_ascii=False, sort_keys=True)
    return value.replace(user_id, REMOVED)


def _scrub_json(data: Any, user_id: str) -> Any:
    if isinstance(data, str):
        return data.replace(user_id, REMOVED)
    if isinstance(data, list):
        return [_scrub_json(item, user_id) for item in data if item != user_id]
    if isinstance(data, dict):
        return {str(k).replace(user_id, REMOVED): _scrub_json(v, user_id)
                for k, v in data.items()}
    return data


def _unlink_replies(session: Session, user_id: str, erased: Erased) -> None:
    """Others' recorded replies to the person's messages lose the quote of them and the link
    (the event they answered is erased from the minutes)."""
    theirs = select(RecordedMessage.event_id).where(RecordedMessage.user_id == user_id)
    replies = session.execute(
        select(RecordedMessage.id, RecordedMessage.body)
        .where(RecordedMessage.reply_to.in_(theirs), RecordedMessage.user_id != user_id)).all()
    for row_id, body in replies:
        session.execute(update(RecordedMessage).where(RecordedMessage.id == row_id).values(
            reply_to=None, body=without_reply_fallback(body) if body is not None else None))
    erased.of(RecordedMessage.__tablename__).scrubbed += len(replies)


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def erase(session: Session, user_id: str, *, watch: Watch | None = None,
          regenerate: Regenerate | None = None, metadata: Any = None) -> Erased:
    """Forget-me, for every table of the map, in the caller's transaction: the person's rows
    deleted, their id cleared where it only says they did something, rows about them
    deleted, their id taken out of every text that stays, and rows drawn on their words
    deleted and made again without them where ``regenerate`` can. ``watch`` forgets watched
    events about them in memory once committed."""
    session.flush()
    erased = Erased()
    tables = _tables(metadata)
    drawn: dict[str, list[Row[Any]]] = {}
    for table, rule, _ in tables:
        if rule.drawn_on is not None:
            key = next(iter(table.primary_key.columns))
            ids = rule.drawn_on(user_id)
            drawn[table.name] = list(session.execute(select(table).where(key.in_(ids))))
    _unlink_replies(session, user_id, erased)
    for table, rule, columns in tables:
        counts = erased.of(table.name)
        keys = list(table.primary_key.columns)
        owned = [table.c[c] == user_id for c in rule.delete]
        owned += [table.c[c].contains(user_id, autoescape=True) for c in rule.delete_naming]
        if owned:
            if watch is not None and table.name == WatchedEvent.__tablename__:
                for key in set(session.scalars(select(WatchedEvent.key).where(or_(*owned)))):
                    watch.unwatch(session, key)
            counts.deleted += _count(session.execute(delete(table).where(or_(*owned))))
        for column in rule.clear:
            counts.cleared += _count(session.execute(
                update(table).where(table.c[column] == user_id).values({column: None})))
        skip = {tuple(row._mapping[k.name] for k in keys) for row in drawn.get(table.name, [])}
        for column, kind in columns.items():
            if kind not in ("text", "mentions") or column in rule.delete_naming:
                continue
            found = session.execute(select(*keys, table.c[column]).where(
                table.c[column].contains(user_id, autoescape=True))).all()
            for row in found:
                ident = tuple(row[:-1])
                if ident in skip:
                    continue
                session.execute(update(table).where(
                    *(k == v for k, v in zip(keys, ident, strict=True)))
                    .values({column: scrub(row[-1], user_id)}))
                counts.scrubbed += 1
    # The ORM's copies of what was just deleted or changed must not be written back, nor
    # read by what makes the drawn rows again.
    session.expire_all()
    for name, rows in drawn.items():
        table = (Base.metadata if metadata is None else metadata).tables[name]
        keys = list(table.primary_key.columns)
        for row in rows:
            session.execute(delete(table).where(*(k == row._mapping[k.name] for k in keys)))
        covered = regenerate(session, table, rows) if regenerate is not None and rows else set()
        erased.of(name).regenerated += len(covered)
        erased.of(name).deleted += len(rows) - len(covered)
    session.expire_all()
    truncate_log_after_commit(session)
    return erased


def truncate_log_after_commit(session: Session) -> None:
    """Once erased text is committed, SQLite's write-ahead log is checkpointed and truncated,
    so the old pages are not left in it (``secure_delete`` overwrites them in the file)."""
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    if engine.dialect.name != "sqlite":
        return

    def checkpoint() -> None:
        try:
            raw = engine.raw_connection()
            try:
                raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                raw.close()
        except Exception:  # the erasure stands; the log is truncated at the next one
            log.warning("could not truncate the SQLite log after an erasure", exc_info=True)

    after_commit(session, checkpoint)


def _is_text(column: Any) -> bool:
    try:
        return column.type.python_type is str
    except NotImplementedError:
        return False


def left_behind(session: Session, needles: Iterable[str], metadata: Any = None) -> list[str]:
    """Where any of ``needles`` still occurs in a text column of any table (a check for
    tests and the operator: empty after forget-me)."""
    metadata = Base.metadata if metadata is None else metadata
    found = []
    needles = [n for n in needles if n]
    for table in metadata.tables.values():
        texts = [c for c in table.columns if _is_text(c)]
        for column in texts:
            where = [column.contains(n, autoescape=True) for n in needles]
            if where and session.scalar(select(column).where(or_(*where)).limit(1)) is not None:
                found.append(f"{table.name}.{column.name}")
    return found


# ---------------------------------------------------------------------------- retention


def sweep_retention(session: Session, now: datetime, retention_days: int) -> dict[str, int]:
    """Raw message text older than ``retention_days`` is deleted (the row stays, with the
    time its text went); items, summaries and outcomes stay."""
    cutoff = now - timedelta(days=retention_days)
    result = session.execute(
        update(RecordedMessage)
        .where(RecordedMessage.sent_at < cutoff, RecordedMessage.body.is_not(None))
        .values(body=None, text_deleted_at=now)
        .execution_options(synchronize_session=False))
    if _count(result):
        truncate_log_after_commit(session)
    return {RecordedMessage.__tablename__: _count(result)}
