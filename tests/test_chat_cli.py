"""`salonbot chat`: a scripted salon piped into the real command, no homeserver involved."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def chat(script: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALONBOT_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", *args],
        input="\n".join(script) + "\n", capture_output=True, text=True, timeout=60, cwd=ROOT,
        env=env, check=False,
    )


def test_a_whole_salon_can_be_played_in_the_terminal() -> None:
    result = chat([
        '!salon åbn "Ny legeplads i Hørning" --topic "Hvor skal den ligge?"',
        "/room #1",
        "!salon inviter @bjorn:local som politiker",
        "/as @bjorn:local",
        "/room #1",
        "!salon info",
        "/leave",
        "/as @me:local",
        "/room #1",
        "!salon info",
        '!salon luk "Ved skolen"',
        "/quit",
        "!salon this line is never read",
    ])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("salonbot chat: salonbotten i din terminal, uden en hjemmeserver.\n"
                          "Du er @me:local, i en direkte samtale med botten.")
    assert "Data gemmes i en midlertidig database, som slettes, når du afslutter." in out
    room = "#1 Ny legeplads i Hørning"
    for line in (
        "salonbot › Din salon #1 »Ny legeplads i Hørning« er åben, og du er vært.",
        f"· Du er inviteret til {room}. Skriv /room #1 for at gå derind.",
        f"· Du tager imod invitationen og går ind i {room}.",
        f"@me:local · {room} › !salon inviter @bjorn:local som politiker",
        "salonbot › Inviteret:",
        "            • @bjorn:local (politiker)",
        f"@bjorn:local · {room} › !salon info",
        "            Deltagere: 2 (1 borger og 1 politiker)",
        f"· @bjorn:local er ikke længere i {room}.",
        "· Du er tilbage i din direkte samtale med botten.",
        "            Deltagere: 1 (1 borger)",
        "salonbot › #1 »Ny legeplads i Hørning« er nu lukket. Tak til alle, der var med!",
    ):
        assert line in out.splitlines()
    assert "never read" not in out
    assert "Traceback" not in result.stderr


def test_a_database_file_keeps_the_salons_between_sessions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    first = chat(['!salon åbn "Bænke på torvet" --public'], "--db", url, "--user", "@anna:local")
    assert first.returncode == 0, first.stderr
    assert f"Data gemmes i {url}." in first.stdout

    second = chat(["!salon liste"], "--db", url, "--user", "@bjorn:local")
    assert second.returncode == 0, second.stderr
    assert "• #1 »Bænke på torvet«: 0 deltagere" in second.stdout
    assert "fx !salon deltag #1." in second.stdout


def test_the_language_option_sets_the_language(tmp_path: Path) -> None:
    result = chat(["!salon help", "/help"], "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("salonbot chat: the salon bot in your terminal")
    assert "salonbot › What I can do (write !salon and then the command):" in result.stdout
    assert "Chat commands: /rooms lists your rooms;" in result.stdout


def test_the_terminal_explains_its_own_mistakes() -> None:
    result = chat([
        '!salon åbn "Privat salon"',
        "/as @bjorn:local",
        "/room #1",
        "/room #7",
        "/leave",
        "/as bjorn",
        "/dans",
        '!salon åbn "Uden slut',
    ])
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert ("Du er ikke med i det rum. En vært kan invitere dig, eller du kan skrive "
            "!salon deltag #1, hvis salonen er offentlig.") in out
    assert "Der er intet rum #7. /rooms viser dine." in out
    assert "Det her er din direkte samtale med botten; den kan du ikke forlade." in out
    assert "»bjorn« er ikke et Matrix-id. Skriv det som @navn:local." in out
    assert "Jeg kender ikke chatkommandoen /dans. /help viser dem." in out
    assert "salonbot › Et anførselstegn er ikke lukket." in out


def test_a_user_that_is_no_matrix_id_is_refused() -> None:
    result = chat(["!salon help"], "--user", "anna")
    assert result.returncode == 2
    assert "»anna« er ikke et Matrix-id. Skriv det som @navn:local." in result.stderr
    assert result.stdout == ""


def test_wait_moves_the_terminals_clock_forward() -> None:
    result = chat(["/wait 2d", "/wait snart"])
    assert result.returncode == 0, result.stderr
    shown = [line for line in result.stdout.splitlines() if "Klokken er nu" in line]
    [line] = shown
    moved = datetime.strptime(line.split("Klokken er nu ")[1].rstrip("."), "%Y-%m-%d %H:%M")
    assert moved - datetime.now() > timedelta(days=1, hours=23)
    assert "Skriv hvor længe der skal ventes, f.eks. /wait 1h" in result.stdout
