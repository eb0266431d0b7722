"""The staff room's export on a real Synapse, as a case worker's (nio) client sees it: in the
encrypted staff room ``!salon eksport csv`` answers with an encrypted file (the server holds
only ciphertext); downloaded and decrypted it is a ZIP of one valid CSV per table and a
``datapackage.json`` that frictionless finds valid, with the formula a citizen typed
neutralised and the participant under a pseudonym; xlsx, json, md, html and ics arrive the
same way and open as what they claim to be. A citizen who wandered into the staff room is
refused and gets no file. The bot reads Synapse's upload limit, and a file above
the limit is refused with a reason instead of vanishing."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bot_fixtures import *  # noqa: F403
from bot_fixtures import Citizen, bot_with_staff_room, raw_event
from nio import DownloadResponse
from nio.crypto.attachments import decrypt_attachment
from sqlalchemy import select

from bot.db import Database, ExportRecord
from bot.matrix.rooms import MatrixRooms

TABLES = ("salons", "members", "meetings", "rsvps", "items", "outcomes", "outcome_events",
          "summaries", "messages")


def content(event: Any) -> dict[str, Any]:
    return dict(event.source.get("content", {}))


async def test_a_case_worker_downloads_the_csv_export_from_the_encrypted_staff_room(
        make_bot, make_citizen, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import frictionless

    bot, staff, wanderer, staff_room = await bot_with_staff_room(make_bot, make_citizen)

    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    chat = await host.open_chat_with(bot.user_id)
    await host.ask(chat, '!salon åbn "Cykelstien"')
    salon = await host.accept_invite()
    await host.ask(salon, f"!salon inviter {neighbour.user_id}")
    await neighbour.accept_invite(salon)
    await host.ask(salon, "!salon samtykke navn")
    await neighbour.ask(salon, "!salon samtykke ja")
    noted = await neighbour.ask(salon, "!salon idé +cmd og en bedre belysning")
    assert "1" in noted.body, noted.body

    refused = await wanderer.ask(staff_room, "!salon eksport csv")
    assert "kommunens medarbejdere" in refused.body, refused.body
    assert content(refused).get("msgtype") != "m.file"

    reply = await staff.ask(staff_room, "!salon eksport csv")
    file = content(reply)
    assert file["msgtype"] == "m.file", file
    assert file["filename"].endswith("-csv.zip") and "url" not in file, file
    assert "Eksporten som csv" in file["body"] and "pseudonym" in file["body"], file["body"]
    raw = await raw_event(staff.client, staff_room, reply.event_id)
    assert raw["type"] == "m.room.encrypted"
    encrypted = file["file"]
    downloaded = await staff.client.download(encrypted["url"])
    assert isinstance(downloaded, DownloadResponse), downloaded
    assert not downloaded.body.startswith(b"PK"), "the server has only ciphertext"
    data = decrypt_attachment(downloaded.body, encrypted["key"]["k"],
                              encrypted["hashes"]["sha256"], encrypted["iv"])
    folder = tmp_path / "export"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == sorted(
            [f"{t}.csv" for t in TABLES] + ["datapackage.json"])
        archive.extractall(folder)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    def rows(name: str) -> list[dict[str, str]]:
        text = (folder / f"{name}.csv").read_bytes().decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text, newline="")))

    [item] = rows("items")
    assert item["text"] == "'+cmd og en bedre belysning", "no formula in a spreadsheet"
    assert item["author"].startswith("P-"), "a participant who said yes: a pseudonym"
    members = {m["person"] for m in rows("members")}
    assert "'" + host.user_id in members, "the host chose to be named"
    assert neighbour.user_id not in (folder / "members.csv").read_text(encoding="utf-8-sig")

    # The limit the bot keeps to is the homeserver's: Synapse's default max_upload_size.
    assert await MatrixRooms(staff.client).upload_limit() == 50 * 1024 * 1024

    # A homeserver that takes less (played here: the running Synapse is not restarted for
    # it): the file is not sent, the case worker is told why and what to do, nothing logged.
    async def one_kilobyte(_rooms: MatrixRooms) -> int:
        return 1024

    monkeypatch.setattr(MatrixRooms, "upload_limit", one_kilobyte)
    refused = await staff.ask(staff_room, "!salon eksport csv")
    assert content(refused).get("msgtype") == "m.notice", content(refused)
    assert "hjemmeserveren tager kun imod filer på højst 1 kB" in refused.body, refused.body
    assert "--salon" in refused.body and "salonbot export" in refused.body
    database = Database(bot.config.database.url)
    try:
        with database.session() as session:
            assert [r.format for r in session.scalars(select(ExportRecord))] == ["csv"], \
                "only the export that arrived is logged"
    finally:
        database.dispose()


async def download(citizen: Citizen, reply: Any) -> tuple[str, bytes]:
    """The file a reply carries, as the case worker's client gets it: downloaded (only
    ciphertext on the server) and decrypted."""
    file = content(reply)
    assert file["msgtype"] == "m.file", file
    encrypted = file["file"]
    downloaded = await citizen.client.download(encrypted["url"])
    assert isinstance(downloaded, DownloadResponse), downloaded
    data = decrypt_attachment(downloaded.body, encrypted["key"]["k"],
                              encrypted["hashes"]["sha256"], encrypted["iv"])
    return str(file["filename"]), data


async def test_every_other_format_arrives_in_the_staff_room_and_opens(
        make_bot, make_citizen) -> None:
    """xlsx, json, md, html and ics from the encrypted staff room: each file decrypts and
    opens as what it claims to be, with the salon in it."""
    import json

    import openpyxl
    from icalendar import Calendar

    bot, staff, wanderer, staff_room = await bot_with_staff_room(make_bot, make_citizen)
    host: Citizen = await make_citizen("host")
    chat = await host.open_chat_with(bot.user_id)
    await host.ask(chat, '!salon åbn "Cykelstien"')
    salon = await host.accept_invite()
    await host.ask(salon, "!salon samtykke ja")
    await host.ask(salon, "!salon idé =HYPERLINK(\"http://x\",\"y\") og en bedre belysning")
    await host.ask(salon, '!salon planlæg i morgen kl. 18 sted "Biblioteket"')
    await host.ask(salon, '!salon resultat "Lys på stien ved skolen"')

    name, data = await download(staff, await staff.ask(staff_room, "!salon eksport xlsx"))
    assert name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert set(TABLES) <= set(book.sheetnames)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "no formula in a sheet"
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)

    name, data = await download(staff, await staff.ask(staff_room, "!salon eksport json"))
    document = json.loads(data)
    assert name.endswith(".json") and set(TABLES) <= set(document["tables"])
    assert [s["title"] for s in document["tables"]["salons"]["rows"]] == ["Cykelstien"]

    for fmt, index in (("md", "index.md"), ("html", "index.html")):
        name, data = await download(staff, await staff.ask(staff_room, f"!salon eksport {fmt}"))
        assert name.endswith(".zip"), name
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert index in archive.namelist(), archive.namelist()
            pages = {n: archive.read(n).decode("utf-8") for n in archive.namelist()}
        assert all("Cykelstien" in text for text in pages.values()), fmt
        assert any("Lys på stien ved skolen" in text for text in pages.values()), fmt
        if fmt == "html":
            # Links to the salon's room are fine; nothing may be loaded from outside.
            assert not any('src="http' in t or "<link" in t and "http" in t.split("<link")[1]
                           .split(">")[0] for t in pages.values()), "no external resources"

    name, data = await download(staff, await staff.ask(staff_room, "!salon eksport ics"))
    assert name.endswith(".ics")
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert "Cykelstien" in str(event["summary"]) and str(event["location"]) == "Biblioteket"
