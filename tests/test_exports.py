"""Exports as the municipality opens them: each format from the command line
(``salonbot export``, through ``bot.cli.main``) and from the staff room (``export``), on a
database filled through the real handlers (``ChatSession``), on SQLite and PostgreSQL.

What a case worker or an open-data tool notices is asserted: the files and what the command
prints, a byte-order mark and CRLF, a Data Package that ``frictionless`` finds valid with its
CSVs, no cell a spreadsheet runs as a formula (the XLSX read back with openpyxl), real
dates, people under the same pseudonym in two exports and by name only with ``consent
named``, no text of someone who does not consent, none beyond retention, and the log.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from chat_helpers import ANNA, BJORN, CARL, DORTHE, chat_config_with, make_staff_room, open_salon
from sqlalchemy import delete, func, select, update

from bot.chat import ChatSession
from bot.cli import main
from bot.clock import FixedClock
from bot.db import (
    ExportRecord,
    InstallationSecret,
    Outcome,
    OutcomeEvent,
    RecordedMessage,
    Salon,
)
from handlers import build_registry

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
ERIK = "@erik:example.org"  # says yes, writes, then withdraws
CASE = "@case.worker:example.org"  # staff, not named
#: The export runs at the real time; the salon happened two days before.
NOW = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
TABLES = ("salons", "members", "meetings", "rsvps", "items", "outcomes", "outcome_events",
          "summaries", "messages")
INJECTIONS = ('=HYPERLINK("http://x","y")', "+cmd", "@SUM(A1)", "-2+3", "\tskjult")
BJORN_SAYS = "Jeg synes @carl:example.org har ret om skolen"
ERIK_SAYS = "Erik mener noget, han senere trækker tilbage"
OLD_TEXT = "En meget gammel besked om legepladsen"


@dataclass
class Populated:
    url: str
    config: Path
    room: str
    salon_id: int


def _config(tmp_path: Path, url: str, **privacy: Any) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump({
        "matrix": {"homeserver": "https://matrix.example.org", "user_id": "@salonbot:example.org",
                   "access_token": "x"},
        "bot": {"default_language": "da", "timezone": "Europe/Copenhagen", "staff": [CASE]},
        "database": {"url": url},
        "privacy": {"retention_days": 180, **privacy},
    }), encoding="utf-8")
    return path


async def populate(url: str) -> tuple[str, int]:
    """A salon with a named host (Anna), a pseudonymous participant (Bjørn), one who never
    consented (Carl), a named politician (Dorthe) and one who withdrew (Erik); a meeting
    with answers, minutes with messages, items (formula attempts among them), a summary,
    and outcomes with a staff answer."""
    clock = FixedClock(NOW)
    chat = ChatSession(url, chat_config_with(bot={"staff": [CASE]}), registry=build_registry(),
                       clock=clock)
    try:
        room = await open_salon(chat, '!salon åbn "Ny legeplads"', guests=(BJORN, CARL, ERIK))
        await chat.say(ANNA, room, f"!salon inviter {DORTHE} som politiker")
        await chat.join(DORTHE, room)
        for person, level in ((ANNA, "navn"), (BJORN, "ja"), (DORTHE, "navn"), (ERIK, "ja")):
            await chat.say(person, room, f"!salon samtykke {level}")
        await chat.say(ANNA, room, '!salon planlæg i morgen kl. 19 sted "Biblioteket"')
        await chat.say(ANNA, room, '!salon planlæg om en uge kl. 19 : "Aflyst møde"')
        await chat.say(ANNA, room, "!salon aflys 2")
        for person in (BJORN, CARL, DORTHE):
            await chat.say(person, room, "!salon rsvp ja 1")
        await chat.say(ANNA, room, "!salon start 1")
        for person, text in ((ANNA, "Velkommen til alle"), (BJORN, BJORN_SAYS),
                             (BJORN, INJECTIONS[0]),
                             (CARL, "Carl siger noget, der ikke gemmes"), (ERIK, ERIK_SAYS),
                             (DORTHE, OLD_TEXT), (DORTHE, "Kommunen kan betale for bænkene")):
            await chat.say(person, room, text)
            clock.advance(minutes=1)
        for text in INJECTIONS[1:4]:
            await chat.say(BJORN, room, f"!salon idé {text}")
        await chat.say(ANNA, room, f"!salon handling {BJORN} tegn en skitse inden fredag")
        await chat.say(ANNA, room, "!salon slut")
        await chat.say(ANNA, room, "!salon resumé")
        await chat.say(ERIK, room, "!salon samtykke nej")
        with chat.db.session(write=True) as session:
            salon_id = session.scalar(select(Salon.id).where(Salon.room_id == room))
            assert salon_id is not None
            # Dorthe's first message is older than the retention period (the sweep has not
            # run yet): its text must not be exported.
            session.execute(update(RecordedMessage).where(RecordedMessage.body == OLD_TEXT)
                            .values(sent_at=NOW - timedelta(days=400)))
            outcome = Outcome(salon_id=salon_id, kind="proposal", text=INJECTIONS[0],
                              status="answered", answer=f"Vi ser på det, {BJORN}",
                              created_by=ANNA, created_at=NOW, answered_at=NOW, updated_at=NOW)
            outcome.events = [
                OutcomeEvent(action="submitted", status="submitted", by_user=ANNA,
                             by_role="host", at=NOW),
                OutcomeEvent(action="answer", status="answered", text=INJECTIONS[4],
                             by_user=CASE, by_role="staff", at=NOW)]
            session.add(outcome)
            session.add(Outcome(salon_id=salon_id, kind="question", text="Hvornår?",
                                created_by=BJORN, created_at=NOW, updated_at=NOW))
        return room, salon_id
    finally:
        chat.close()


@pytest.fixture
async def populated(db_url: str, tmp_path: Path) -> Populated:
    room, salon_id = await populate(db_url)
    return Populated(db_url, _config(tmp_path, db_url), room, salon_id)


@pytest.fixture
async def sqlite_populated(tmp_path: Path) -> Populated:
    url = f"sqlite:///{tmp_path / 'salonbot.db'}"
    room, salon_id = await populate(url)
    return Populated(url, _config(tmp_path, url), room, salon_id)


def export(capsys: pytest.CaptureFixture[str], populated: Populated, out: Path,
           *args: str) -> str:
    capsys.readouterr()
    code = main(["export", "-c", str(populated.config), "--out", str(out), *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def all_text(folder: Path) -> str:
    """Everything the export wrote, as text (an XLSX unpacked)."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(n).decode("utf-8") for n in archive.namelist()]
        elif path.is_file():
            parts.append(path.read_text(encoding="utf-8-sig"))
    return "\n".join(parts)


def english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALONBOT_LANG", "en")


# ------------------------------------------------------------------------------ CSV


async def test_csv_is_one_file_per_table_with_a_valid_data_package(
        populated: Populated, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import frictionless

    english(monkeypatch)
    out = tmp_path / "csv"
    printed = export(capsys, populated, out, "--format", "csv")
    assert printed.startswith("Exported ") and f"as csv into {out}:" in printed
    assert "salons 1, members 5, meetings 2, rsvps 3, items 4, outcomes 2, " \
           "outcome_events 2, summaries 1, messages 6" in printed, printed
    assert "pseudonyms" in printed
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.csv" for t in TABLES] + ["datapackage.json"])
    for table in TABLES:
        raw = (out / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), f"{table}.csv has a byte-order mark"
        assert raw.count(b"\r\n") >= 1 and raw.replace(b"\r\n", b"").count(b"\n") == \
            raw.count(b'\n') - raw.count(b"\r\n"), table
    header = (out / "salons.csv").read_bytes()[3:].split(b"\r\n")[0]
    assert header == (b"id,room_id,title,topic,is_public,status,language,timezone,created_by,"
                      b"created_at,closed_at,closing_statement")
    [salon] = read_csv(out / "salons.csv")
    assert salon["title"] == "Ny legeplads"
    assert salon["created_by"] == "'" + ANNA, "a Matrix id starts with @: neutralised too"
    assert salon["is_public"] == "false"
    assert datetime.fromisoformat(salon["created_at"].replace("Z", "+00:00")) == NOW
    assert "æ" in (out / "messages.csv").read_text(encoding="utf-8-sig")

    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package" and package["schema_version"] == "1"
    assert package["name"] and package["title"] and package["created"]
    assert [r["name"] for r in package["resources"]] == list(TABLES)
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f["type"] and f["description"] for f in fields), resource["name"]
        assert resource["schema"]["primaryKey"] == ["id"]
    rsvps = next(r for r in package["resources"] if r["name"] == "rsvps")
    assert {"fields": "meeting_id", "reference": {"resource": "meetings", "fields": "id"}} in \
        rsvps["schema"]["foreignKeys"]
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


async def test_frictionless_notices_a_broken_file(sqlite_populated: Populated, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The validation above is real: a text in a number column fails it."""
    import frictionless

    out = tmp_path / "csv"
    export(capsys, sqlite_populated, out, "--format", "csv")
    path = out / "rsvps.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[1] = b"x" + lines[1]
    path.write_bytes(b"\r\n".join(lines))
    assert not frictionless.validate(str(out / "datapackage.json")).valid


async def test_no_cell_starts_a_formula_in_csv_or_xlsx(
        sqlite_populated: Populated, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    export(capsys, sqlite_populated, tmp_path / "csv", "--format", "csv")
    items = [row["text"] for row in read_csv(tmp_path / "csv" / "items.csv")]
    assert items[:3] == ["'" + text for text in INJECTIONS[1:4]], items
    messages = [row["text"] for row in read_csv(tmp_path / "csv" / "messages.csv")]
    assert "'" + INJECTIONS[0] in messages
    [outcome, _] = read_csv(tmp_path / "csv" / "outcomes.csv")
    assert outcome["text"] == "'" + INJECTIONS[0]
    events = read_csv(tmp_path / "csv" / "outcome_events.csv")
    assert events[1]["text"] == "'" + INJECTIONS[4], "a tab at the start is neutralised"
    for path in (tmp_path / "csv").glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"),
                                          newline="")):
            assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), \
                (path.name, row)
    # A number stays a number: minus one is not neutralised into text.
    meetings = read_csv(tmp_path / "csv" / "meetings.csv")
    assert meetings[0]["number"] == "1" and meetings[0]["sequence"] == "0"

    export(capsys, sqlite_populated, tmp_path / "xlsx", "--format", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "salonbot-export.xlsx")
    assert book.sheetnames == list(TABLES)
    seen = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), \
                        (sheet.title, cell.coordinate, cell.value)
                    seen.append(cell.value)
    for text in INJECTIONS:
        assert "'" + text in seen, text


async def test_xlsx_has_a_bold_frozen_header_real_dates_and_widths(
        sqlite_populated: Populated, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    out = tmp_path / "xlsx"
    printed = export(capsys, sqlite_populated, out, "--format", "xlsx")
    assert str(out / "salonbot-export.xlsx") in printed
    book = openpyxl.load_workbook(out / "salonbot-export.xlsx")
    sheet = book["meetings"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["id", "salon_id", "number"]
    assert all(c.font.bold for c in sheet[1])
    starts = sheet.cell(row=2, column=header.index("starts_at") + 1).value
    assert isinstance(starts, datetime), "a real date, not text"
    tomorrow = (NOW + timedelta(days=1)).astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Copenhagen"))
    assert (starts.date(), starts.hour) == (tomorrow.date(), 19), "local time, as planned"
    assert sheet.cell(row=2, column=header.index("capacity") + 1).value is None
    assert sheet.column_dimensions["E"].width >= 10
    items = book["items"]
    due = items.cell(row=5, column=[c.value for c in items[1]].index("due") + 1).value
    assert isinstance(due, datetime)


async def test_a_table_longer_than_a_sheet_goes_on_in_a_second_sheet(
        sqlite_populated: Populated, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    import bot.exports.xlsx

    monkeypatch.setattr(bot.exports.xlsx, "MAX_ROWS", 5)  # a header and four rows a sheet
    export(capsys, sqlite_populated, tmp_path / "xlsx", "--format", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "salonbot-export.xlsx")
    assert book.sheetnames[-2:] == ["messages", "messages (2)"]
    first, second = book["messages"], book["messages (2)"]
    assert [c.value for c in first[1]] == [c.value for c in second[1]], "the header again"
    assert second.freeze_panes == "A2"
    ids = [r[0].value for r in first.iter_rows(min_row=2)] + \
        [r[0].value for r in second.iter_rows(min_row=2)]
    assert ids == [1, 2, 3, 4, 5, 6]


async def test_json_is_one_document_with_the_same_tables(
        populated: Populated, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "json"
    export(capsys, populated, out, "--format", "json")
    document = json.loads((out / "salonbot-export.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == "1"
    assert list(document["tables"]) == list(TABLES)
    meetings = document["tables"]["meetings"]
    assert [f["name"] for f in meetings["fields"]][:3] == ["id", "salon_id", "number"]
    assert all(f["description"] for f in meetings["fields"])
    assert [m["status"] for m in meetings["rows"]] == ["scheduled", "cancelled"]
    assert meetings["rows"][0]["place"] == "Biblioteket"
    assert isinstance(meetings["rows"][0]["id"], int)
    items = document["tables"]["items"]["rows"]
    assert items[0]["text"] == INJECTIONS[1], "JSON is read by programs: text as written"
    assert document["tables"]["rsvps"]["rows"][0]["waitlisted"] is False


async def test_ics_has_every_meeting_with_stable_uids(
        sqlite_populated: Populated, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    import icalendar

    out = tmp_path / "ics"
    export(capsys, sqlite_populated, out, "--format", "ics")
    calendar = icalendar.Calendar.from_ical((out / "salonbot-meetings.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["salonbot-meeting-1@example.org",
                                               "salonbot-meeting-2@example.org"]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert int(events[1]["SEQUENCE"]) >= 1
    assert calendar.walk("VTIMEZONE"), "the zone is in the file"
    assert "Ny legeplads" in str(events[0]["SUMMARY"])


# --------------------------------------------------------------------------- people


async def test_pseudonyms_are_stable_and_names_only_with_consent_named(
        populated: Populated, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export(capsys, populated, tmp_path / "a", "--format", "csv")
    export(capsys, populated, tmp_path / "b", "--format", "csv")
    first = read_csv(tmp_path / "a" / "members.csv")
    second = read_csv(tmp_path / "b" / "members.csv")
    assert [m["person"] for m in first] == [m["person"] for m in second], "stable"
    shown = {m["consent"]: m["person"] for m in first}
    by_level = {(m["person"], m["consent"]) for m in first}
    assert ("'" + ANNA, "named") in by_level and ("'" + DORTHE, "named") in by_level
    pseudonyms = [m["person"] for m in first if m["consent"] != "named"]
    assert len(pseudonyms) == 3 and all(p.startswith("P-") and len(p) == 12
                                        for p in pseudonyms), shown
    assert len(set(pseudonyms)) == 3
    bjorn = next(m["person"] for m in first if m["consent"] == "yes")
    messages = read_csv(tmp_path / "a" / "messages.csv")
    said = next(m for m in messages if m["person"] == bjorn)
    carl = next(r["person"] for r in read_csv(tmp_path / "a" / "rsvps.csv")
                if r["person"] not in (bjorn, DORTHE))
    assert said["text"] == BJORN_SAYS.replace(CARL, carl), "an id in text is a pseudonym too"
    events = read_csv(tmp_path / "a" / "outcome_events.csv")
    assert [(e["by_role"], e["by_name"]) for e in events] == [("host", "'" + ANNA),
                                                              ("staff", "")]

    # One set of rules for every format: the readable reports (md, html) too, where Bjørn is
    # named in an outcome's answer and Carl in a summary.
    for fmt in ("csv", "xlsx", "json", "ics", "md", "html"):
        export(capsys, populated, tmp_path / fmt, "--format", fmt)
        written = all_text(tmp_path / fmt)
        for person in (BJORN, CARL, ERIK, CASE):
            assert person not in written, (fmt, person)
            assert person.split(":")[0].lstrip("@") + ":example" not in written, (fmt, person)
    for fmt in ("csv", "md", "html"):
        assert ANNA in all_text(tmp_path / fmt), (fmt, "the named host is named")
    for fmt in ("md", "html"):
        assert bjorn in all_text(tmp_path / fmt), (fmt, "under the tables' pseudonym")


async def test_no_text_without_consent_nor_beyond_retention(
        populated: Populated, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for fmt in ("csv", "xlsx", "json", "md", "html"):
        export(capsys, populated, tmp_path / fmt, "--format", fmt)
        written = all_text(tmp_path / fmt)
        assert "Carl siger noget" not in written, "never recorded"
        assert ERIK_SAYS not in written, (fmt, "withdrawn: blank")
        assert OLD_TEXT not in written, (fmt, "beyond retention: blank")
        if fmt in ("md", "html"):
            # The reports hold no message, and the summary drew on Erik's words: left out.
            assert BJORN_SAYS.split(CARL)[0] not in written, fmt
            assert "trukket sit samtykke tilbage" in written, fmt
        else:
            assert "Kommunen kan betale for bænkene" in written, fmt
    messages = read_csv(tmp_path / "csv" / "messages.csv")
    assert len(messages) == 6, "the rows stay (counts, times), only the text goes"
    blank = [m for m in messages if not m["text"]]
    assert len(blank) == 2
    [summary] = read_csv(tmp_path / "csv" / "summaries.csv")
    assert summary["text"] == "", "it drew on the words of Erik, who withdrew"
    assert summary["method"]


async def test_every_export_is_logged(populated: Populated, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    from bot.db import Database

    export(capsys, populated, tmp_path / "a", "--format", "csv")
    export(capsys, populated, tmp_path / "b", "--format", "json", "--since", "2020-01-01",
           "--salon", f"#{populated.salon_id}")
    database = Database(populated.url)
    try:
        with database.session() as session:
            records = list(session.scalars(select(ExportRecord).order_by(ExportRecord.id)))
    finally:
        database.dispose()
    assert [(r.via, r.format, r.by_user, r.salon_id) for r in records] == [
        ("command-line", "csv", None, None), ("command-line", "json", None, populated.salon_id)]
    assert records[0].rows == 26 and records[0].since is None
    assert records[1].since == datetime(2019, 12, 31, 23, tzinfo=UTC), "midnight in Copenhagen"
    assert abs(records[0].created_at - datetime.now(UTC)) < timedelta(minutes=5)


async def test_since_and_salon_filter_the_rows(
        sqlite_populated: Populated, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Today: the salon's rows were all made on the test's clock, months before.
    today = datetime.now(UTC).date().isoformat()
    printed = export(capsys, sqlite_populated, tmp_path / "later", "--format", "csv",
                     "--since", today)
    later = tmp_path / "later"
    assert all(not read_csv(later / f"{t}.csv") for t in TABLES), printed
    package = json.loads((later / "datapackage.json").read_text(encoding="utf-8"))
    midnight = datetime.fromisoformat(today).replace(tzinfo=COPENHAGEN)
    assert package["since"] == midnight.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert all("foreignKeys" not in r["schema"] for r in package["resources"]), \
        "a delta may refer to rows of an earlier export"
    # The talk came a minute apart from NOW; the items and the summary after it.
    middle = (NOW + timedelta(minutes=3, seconds=30)).isoformat()
    export(capsys, sqlite_populated, tmp_path / "middle", "--format", "csv", "--since", middle)
    counts = {t: len(read_csv(tmp_path / "middle" / f"{t}.csv")) for t in TABLES}
    assert counts == {"salons": 0, "members": 0, "meetings": 0, "rsvps": 0, "items": 4,
                      "outcomes": 0, "outcome_events": 0, "summaries": 1, "messages": 2}, counts
    export(capsys, sqlite_populated, tmp_path / "one", "--format", "csv", "--salon",
           sqlite_populated.room)
    assert len(read_csv(tmp_path / "one" / "members.csv")) == 5


def test_utc_text_converts_a_local_time_to_utc() -> None:
    from bot.exports.csv_writer import utc_text

    winter = datetime(2026, 3, 1, tzinfo=COPENHAGEN)  # CET, UTC+1
    summer = datetime(2026, 7, 1, tzinfo=COPENHAGEN)  # CEST, UTC+2
    assert utc_text(winter) == "2026-02-28T23:00:00Z"
    assert utc_text(summer) == "2026-06-30T22:00:00Z"
    assert utc_text(datetime(2026, 3, 1, 12, 30, 5, 999, tzinfo=UTC)) == "2026-03-01T12:30:05Z"
    assert utc_text(datetime(2026, 3, 1, 12, 30)) == "2026-03-01T12:30:00Z", "naive is UTC"
    assert utc_text("2026-03-01 12:30:00.000000") == "2026-03-01T12:30:00Z", "SQLite's text"


@pytest.mark.parametrize(("day", "utc"), [("2026-03-01", "2026-02-28T23:00:00Z"),
                                          ("2026-07-01", "2026-06-30T22:00:00Z")])
async def test_since_is_written_in_utc(sqlite_populated: Populated, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str], day: str,
                                       utc: str) -> None:
    """``--since <day>`` is midnight in Copenhagen: an hour before midnight UTC in winter,
    two in summer, in the Data Package and in the JSON document alike."""
    export(capsys, sqlite_populated, tmp_path / "csv", "--format", "csv", "--since", day)
    package = json.loads((tmp_path / "csv" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["since"] == utc
    export(capsys, sqlite_populated, tmp_path / "json", "--format", "json", "--since", day)
    document = json.loads((tmp_path / "json" / "salonbot-export.json").read_text(
        encoding="utf-8"))
    assert document["since"] == utc


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "pdf"], "“pdf” is not an export format: use one of csv, xlsx, json, md, "
                          "html, ics."),
    (["--format", "csv", "--since", "last year"], "“last year” is not a date"),
    (["--format", "csv", "--salon", "#99"], "There is no salon #99."),
    (["--format", "csv", "--salon", "Ny legeplads"], "names no salon this command can find"),
])
async def test_bad_input_is_one_line_and_exit_2(
        sqlite_populated: Populated, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, args: list[str], message: str) -> None:
    english(monkeypatch)
    capsys.readouterr()
    code = main(["export", "-c", str(sqlite_populated.config), "--out", str(tmp_path / "x"),
                 *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert "Traceback" not in err


async def test_a_missing_database_or_argument_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    english(monkeypatch)
    code = main(["export", "--format", "csv", "--out", str(tmp_path / "x"), "--db",
                 f"sqlite:///{tmp_path / 'nothing.db'}"])
    err = capsys.readouterr().err
    assert code == 2 and "There is no salonbot database at" in err and err.count("\n") == 1
    assert not (tmp_path / "nothing.db").exists(), "nothing is made by looking"
    with pytest.raises(SystemExit) as ended:
        main(["export", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert ended.value.code == 2 and "--format" in err and err.count("\n") == 1, err


async def test_the_danish_operator_reads_danish(sqlite_populated: Populated, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SALONBOT_LANG", "da")
    printed = export(capsys, sqlite_populated, tmp_path / "da", "--format", "json")
    assert printed.startswith("Eksporterede ") and "pseudonym" in printed, printed


@pytest.mark.parametrize("fmt", ["md", "html"])
async def test_a_report_export_counts_salons_not_rows(
        sqlite_populated: Populated, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    monkeypatch.setenv("SALONBOT_LANG", "da")
    printed = export(capsys, sqlite_populated, tmp_path / fmt, "--format", fmt)
    assert printed.startswith(f"Eksporterede rapporten fra 1 salon og en oversigt som {fmt} "
                              f"til {tmp_path / fmt}:"), printed
    assert "række" not in printed, "a report has no rows"
    english(monkeypatch)
    printed = export(capsys, sqlite_populated, tmp_path / "en", "--format", fmt)
    assert printed.startswith("Exported the report of 1 salon and an index as "), printed


# ----------------------------------------------------------------------- staff room


@pytest.fixture
async def staff_chat(db_url: str) -> AsyncIterator[tuple[ChatSession, str]]:
    url = db_url
    await populate(url)
    chat = ChatSession(url, chat_config_with(bot={"staff": [CASE]}), registry=build_registry(),
                       clock=FixedClock(NOW))
    yield chat, await make_staff_room(chat, CASE, CARL)
    chat.close()


async def test_staff_export_csv_is_a_zip_of_the_tables_and_the_package(
        staff_chat: tuple[ChatSession, str], tmp_path: Path) -> None:
    import frictionless

    chat, room = staff_chat
    turn = await chat.say(CASE, room, "!salon eksport csv")
    [reply] = turn.replies
    assert reply.attachment is not None, reply.body
    assert reply.attachment.mimetype == "application/zip"
    assert reply.attachment.filename.endswith("-csv.zip")
    assert "Eksporten som csv" in reply.body and "salons 1" in reply.body
    assert "pseudonym" in reply.body
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(io.BytesIO(reply.attachment.data)) as archive:
        assert sorted(archive.namelist()) == sorted([f"{t}.csv" for t in TABLES]
                                                    + ["datapackage.json"])
        archive.extractall(folder)
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    with chat.db.session() as session:
        [record] = session.scalars(select(ExportRecord))
        assert (record.by_user, record.via, record.format) == (CASE, "staff-room", "csv")


async def test_staff_export_one_file_and_filters(staff_chat: tuple[ChatSession, str]) -> None:
    chat, room = staff_chat
    [reply] = (await chat.say(CASE, room, "!salon export xlsx since 2020-01-01 --salon #1"
                              )).replies
    assert reply.attachment is not None and reply.attachment.filename == "salonbot-export.xlsx"
    assert "2020-01-01" in reply.body and "#1" in reply.body
    [reply] = (await chat.say(CASE, room, "!salon eksport json siden i går")).replies
    assert reply.attachment is not None and reply.attachment.filename.endswith(".json"), \
        reply.body
    document = json.loads(reply.attachment.data)
    assert document["since"] is not None, "the digest's words for a day work here too"
    [reply] = (await chat.say(CASE, room, "!salon eksport html")).replies
    assert reply.attachment is not None and reply.attachment.filename.endswith("-html.zip")
    assert "**Eksporten som html**: rapporten fra 1 salon og en oversigt." in reply.source, \
        reply.source
    assert "række" not in reply.body and "Tabeller" not in reply.body, reply.body
    digest = (await chat.say(CASE, room, "!salon digest")).text
    assert "rapporten fra 1 salon eksporteret" in digest, digest
    [reply] = (await chat.say(CASE, room, "!salon exportera ics")).replies
    assert reply.attachment is not None and reply.attachment.mimetype == "text/calendar"
    assert b"salonbot-meeting-1@chat" in reply.attachment.data
    assert b"BEGIN:VCALENDAR" in reply.attachment.data


async def test_staff_export_refuses_others_and_bad_input(
        staff_chat: tuple[ChatSession, str]) -> None:
    chat, room = staff_chat
    turn = await chat.say(CARL, room, "!salon eksport csv")
    assert all(r.attachment is None for r in turn.replies)
    assert "kommunens medarbejdere" in turn.text, turn.text
    turn = await chat.say(CASE, room, "!salon eksport pdf")
    assert all(r.attachment is None for r in turn.replies)
    assert "“pdf”" in turn.text and "csv, xlsx, json, md, html, ics" in turn.text
    turn = await chat.say(CASE, room, "!salon eksport csv --salon #77")
    assert "#77" in turn.text and all(r.attachment is None for r in turn.replies)
    # A typo of a year is refused plainly, not an apology for a crash.
    turn = await chat.say(CASE, room, "!salon eksport csv siden 0001-01-01")
    assert "er før, der blev holdt nogen salon her" in turn.text, turn.text
    turn = await chat.say(CASE, room, "!salon eksport csv siden 2099-01-01")
    assert "er ikke kommet endnu" in turn.text, turn.text
    with chat.db.session() as session:
        assert list(session.scalars(select(ExportRecord))) == [], "nothing was exported"


async def test_staff_export_since_a_day_is_written_in_utc(
        staff_chat: tuple[ChatSession, str]) -> None:
    chat, room = staff_chat
    [reply] = (await chat.say(CASE, room, "!salon eksport json siden 2026-03-01")).replies
    assert reply.attachment is not None, reply.body
    assert json.loads(reply.attachment.data)["since"] == "2026-02-28T23:00:00Z"


async def test_the_bot_goes_on_while_the_staff_export_is_written(
        staff_chat: tuple[ChatSession, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The files are written in a worker thread, with a read session of its own: the event
    loop runs meanwhile (here a task that must run before the writing may go on; written in
    the loop thread, the export would wait for it in vain), and the log row is added in the
    command's own session afterwards."""
    import asyncio
    import threading

    import handlers.exports as exports_handler
    from bot.exports import run

    chat, room = staff_chat
    seen: dict[str, Any] = {}
    loop_ran = threading.Event()
    write_export, log_export = run.write_export, exports_handler.log_export

    def slow_write(session: Any, *args: Any, **kwargs: Any) -> Any:
        seen["thread"], seen["reader"] = threading.current_thread(), session
        seen["loop_ran"] = loop_ran.wait(timeout=5)
        if session.get_bind().dialect.name == "postgresql":
            seen["isolation"] = session.connection().exec_driver_sql(
                "SHOW transaction_isolation").scalar()
        return write_export(session, *args, **kwargs)

    def logged(session: Any, *args: Any, **kwargs: Any) -> None:
        seen["command"] = session
        log_export(session, *args, **kwargs)

    monkeypatch.setattr(run, "write_export", slow_write)
    monkeypatch.setattr(exports_handler, "log_export", logged)

    async def meanwhile() -> None:
        await asyncio.sleep(0.05)
        loop_ran.set()

    other = asyncio.create_task(meanwhile())
    [reply] = (await chat.say(CASE, room, "!salon eksport xlsx")).replies
    await other
    assert seen["loop_ran"], "the event loop ran while the export was written"
    assert seen["thread"] is not threading.current_thread()
    assert seen["reader"] is not seen["command"], "the worker reads in a session of its own"
    assert seen.get("isolation", "repeatable read") == "repeatable read", \
        "PostgreSQL: every table from one snapshot"
    assert reply.attachment is not None and reply.attachment.filename.endswith(".xlsx")
    with chat.db.session() as session:
        [record] = session.scalars(select(ExportRecord))
        assert record.format == "xlsx" and record.rows == 26
        assert session.scalar(select(func.count()).select_from(InstallationSecret)) == 1, \
            "the pseudonym key, made in the command's transaction"


async def test_a_cancelled_export_lets_its_thread_finish_first() -> None:
    """The bot stopping in the middle of an export: the command's session and the export's
    folder are let go only once the thread that uses them has ended."""
    import asyncio
    import threading

    from bot.exports.run import run_in_thread

    started, release = threading.Event(), threading.Event()
    finished: list[bool] = []

    def work() -> int:
        started.set()
        release.wait(timeout=5)
        finished.append(True)
        return 1

    task = asyncio.create_task(run_in_thread(work))
    assert await asyncio.to_thread(started.wait, 5)
    task.cancel()
    await asyncio.sleep(0.05)
    assert not task.done(), "it waits for the thread"
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert finished == [True]


async def test_a_file_larger_than_the_homeserver_takes_is_refused_and_not_logged(
        staff_chat: tuple[ChatSession, str]) -> None:
    """Synapse refuses an upload above its ``max_upload_size``: such a file would never
    arrive. The staff member is told how large it was, the limit, and what to do instead."""
    chat, room = staff_chat
    [sent] = (await chat.say(CASE, room, "!salon eksport json")).replies
    assert sent.attachment is not None
    size = len(sent.attachment.data)
    with chat.db.session() as session:
        session.execute(delete(ExportRecord))

    chat.rooms.max_upload_size = size - 1
    turn = await chat.say(CASE, room, "!salon eksport json")
    [reply] = turn.replies
    assert reply.attachment is None, "a file over the limit is not sent"
    kb_up, kb_down = -(-size // 1024), (size - 1) // 1024
    assert (f"Eksporten som json fylder {kb_up} kB, men hjemmeserveren tager kun imod filer på "
            f"højst {kb_down} kB") in reply.body, reply.body
    assert "--salon" in reply.body and "siden 2026-03-01" in reply.body
    assert "salonbot export på serveren" in reply.body
    with chat.db.session() as session:
        assert list(session.scalars(select(ExportRecord))) == [], "nothing delivered, no log"

    chat.rooms.max_upload_size = size
    [reply] = (await chat.say(CASE, room, "!salon eksport json")).replies
    assert reply.attachment is not None and len(reply.attachment.data) == size, \
        "a file of exactly the limit is sent"

    chat.rooms.max_upload_size = 1024
    await chat.say(CASE, room, "!salon language en")
    [reply] = (await chat.say(CASE, room, "!salon export csv --salon #1")).replies
    assert reply.attachment is None
    assert "The export as csv came to " in reply.body, reply.body
    assert "but the homeserver takes files of at most 1 kB" in reply.body
    assert "salonbot export" in reply.body and "Nothing was exported" in reply.body
    with chat.db.session() as session:
        assert [r.format for r in session.scalars(select(ExportRecord))] == ["json"]


async def test_without_a_known_limit_the_bot_keeps_to_its_own(
        staff_chat: tuple[ChatSession, str], monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.exports as exports_handler

    chat, room = staff_chat
    assert await chat.rooms.upload_limit() is None, "the terminal takes any file"
    assert exports_handler.UNKNOWN_LIMIT == 40 * 1024 * 1024
    monkeypatch.setattr(exports_handler, "UNKNOWN_LIMIT", 2 * 1024 * 1024 + 512 * 1024)
    [reply] = (await chat.say(CASE, room, "!salon eksport json")).replies
    assert reply.attachment is not None, "far below the bot's own cap"
    monkeypatch.setattr(exports_handler, "UNKNOWN_LIMIT", 1024)
    [reply] = (await chat.say(CASE, room, "!salon eksport html")).replies
    assert reply.attachment is None
    assert "Hjemmeserveren oplyser ikke, hvor store filer den tager imod, så jeg sender højst " \
           "1 kB" in reply.body, reply.body


def test_file_sizes_are_written_the_readers_way() -> None:
    from types import SimpleNamespace

    from bot.i18n import translator
    from handlers.exports import _file_size

    da = SimpleNamespace(t=translator("da"))
    en = SimpleNamespace(t=translator("en"))
    mib = 1024 * 1024
    assert _file_size(da, 50 * mib, up=False) == "50 MB"
    assert _file_size(da, 50 * mib + 1, up=True) == "50,1 MB", "over the limit reads over it"
    assert _file_size(en, 12 * mib + mib // 4, up=True) == "12.3 MB"
    assert _file_size(en, 1500, up=True) == "2 kB" and _file_size(en, 1500, up=False) == "1 kB"


class _MediaConfigAnswer:
    def __init__(self, status: int, body: Any) -> None:
        self.status, self.body = status, body

    async def __aenter__(self) -> _MediaConfigAnswer:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None

    async def json(self, content_type: str | None = None) -> Any:
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


class _MediaConfigClient:
    """Plays a homeserver's media config endpoints for ``MatrixRooms.upload_limit``."""

    access_token = "token"
    user_id = "@salonbot:example.org"

    def __init__(self, answers: dict[str, list[tuple[int, Any]]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    async def send(self, method: str, path: str, **_: Any) -> _MediaConfigAnswer:
        assert method == "GET"
        self.asked.append(path)
        return _MediaConfigAnswer(*self.answers[path].pop(0))


async def test_the_homeservers_upload_limit_is_asked_once() -> None:
    from bot.matrix.rooms import MatrixRooms

    v1, v3, r0 = ("/_matrix/client/v1/media/config", "/_matrix/media/v3/config",
                  "/_matrix/media/r0/config")
    older = _MediaConfigClient({v1: [(404, None)], v3: [(200, {"m.upload.size": 10_485_760})]})
    rooms = MatrixRooms(older)  # type: ignore[arg-type]
    assert await rooms.upload_limit() == 10_485_760, "an older server: the media API's"
    assert await rooms.upload_limit() == 10_485_760
    assert older.asked == [v1, v3], "asked once, then kept"

    busy = _MediaConfigClient({v1: [(502, None), (200, {})]})
    rooms = MatrixRooms(busy)  # type: ignore[arg-type]
    assert await rooms.upload_limit() is None, "a server error: unknown for now"
    assert await rooms.upload_limit() is None, "no m.upload.size: the server does not say"
    assert await rooms.upload_limit() is None
    assert busy.asked == [v1, v1], "the error is asked again, the answer is kept"

    ancient = _MediaConfigClient({v1: [(404, None)], v3: [(404, None)],
                                  r0: [(200, ValueError("not JSON"))]})
    assert await MatrixRooms(ancient).upload_limit() is None  # type: ignore[arg-type]
