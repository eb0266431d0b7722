"""`salonbot summarise FILE` as a person runs it: the formats, and one clear line per bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from summariser_helpers import as_record, danish_salon, write_jsonl

from bot.summariser import SummaryInputError, load_jsonl

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "bot.summariser", "summarise", *args],
        input=stdin.decode("utf-8") if stdin is not None else None,
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    return done


def good(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "m1", "author": "anna", "role": "citizen",
        "text": "Vi mangler en cykelsti langs Skolevej ved skolen.",
        "ts": "2025-03-13T18:00:00+00:00", "reply_to": None, "reactions": {"👍": 2},
    }
    record.update(changes)
    return record


@pytest.fixture
def salon_file(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "salon.jsonl", [as_record(m) for m in danish_salon()])


# --- output --------------------------------------------------------------------------------


def test_text_summary_in_danish_by_default(salon_file: Path) -> None:
    done = run_cli(str(salon_file))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Opsummering af samtalen")
    assert "Hovedpunkter" in done.stdout and "1. Der mangler en sikker cykelsti" in done.stdout
    assert done.stderr == ""


def test_json_has_key_points_with_message_ids(salon_file: Path) -> None:
    done = run_cli(str(salon_file), "--format", "json", "--points", "3")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [point["message_ids"] for point in data["key_points"]] == [
        ["d6", "d8", "d24"], ["d16"], ["d11"]
    ]
    assert data["key_points"][0] == {
        "text": "Der mangler en sikker cykelsti langs Skolevej, børnene cykler mellem bilerne "
                "hver morgen.",
        "message_ids": ["d6", "d8", "d24"],
        "count": 3,
    }
    assert data["mode"] == "extractive"
    assert data["participation"]["messages"] == 28


def test_json_names_nobody(salon_file: Path) -> None:
    """Summaries are shared: items keep their message id, never their author's pseudonym."""
    done = run_cli(str(salon_file), "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["items"]["proposal"] == [{
        "kind": "proposal", "message_id": "d14",
        "text": "Lav et kys og kør område ved hallen, så forældre ikke holder i krydset.",
    }]
    assert data["items"]["idea"][0]["message_id"] == "d19"
    for author in {message.author for message in danish_salon()}:
        assert f'"{author}"' not in done.stdout, author


def test_lang_picks_the_readers_language_not_the_salons(tmp_path: Path) -> None:
    """Too short to detect, the salon's language is the default, whoever reads it."""
    path = write_jsonl(tmp_path / "short.jsonl", [
        good(id=str(n), author=f"p{n}", text=text) for n, text in enumerate(["ok", "ja", "+1"])
    ])
    outputs = {lang: run_cli(str(path), "--format", "json", "--lang", lang).stdout
               for lang in ("da", "sv", "en")}
    assert outputs["da"] == outputs["sv"] == outputs["en"]
    assert json.loads(outputs["sv"])["languages"] == {"da": 3}
    swedish = run_cli(str(path), "--lang", "sv").stdout
    assert swedish.startswith("Sammanfattning av samtalet")
    assert "Språk: danska (3)" in swedish


@pytest.mark.parametrize(("fmt", "lang", "expected"), [
    ("md", "sv", "## Huvudpunkter"),
    ("html", "nb", "<h2>Hovedpunkter</h2>"),
    ("text", "en", "Key points\n----------"),
])
def test_formats_and_reader_languages(salon_file: Path, fmt: str, lang: str,
                                      expected: str) -> None:
    done = run_cli(str(salon_file), "--format", fmt, "--lang", lang)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_standard_input(salon_file: Path) -> None:
    done = run_cli("-", "--format", "json", stdin=salon_file.read_bytes())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["participation"]["messages"] == 28


def test_timestamps_as_epoch_seconds_or_milliseconds(tmp_path: Path) -> None:
    moment = datetime(2025, 3, 13, 18, 0, tzinfo=UTC)
    path = write_jsonl(tmp_path / "epoch.jsonl", [
        good(id="a", ts=moment.timestamp()),
        good(id="b", ts=int(moment.timestamp() * 1000) + 60_000),
        good(id="c", ts="2025-03-13T18:02:00Z"),
        good(id="d", ts="2025-03-13 18:03"),
    ])
    stamps = [message.ts for message in load_jsonl(path)]
    assert [stamp.minute for stamp in stamps] == [0, 1, 2, 3]
    assert all(stamp.tzinfo is not None and stamp.hour == 18 for stamp in stamps)


def test_optional_keys_may_be_left_out(tmp_path: Path) -> None:
    record = good(item="idea", lang="no")
    del record["reply_to"], record["reactions"]
    messages = load_jsonl(write_jsonl(tmp_path / "lean.jsonl", [record]))
    assert messages[0].item == "idea" and messages[0].lang == "nb"
    assert messages[0].reply_to is None and messages[0].reactions == {}


# --- bad input -----------------------------------------------------------------------------


def bad(path: Path, *extra: str) -> str:
    """Runs the CLI on a bad file; returns its single error line after checking the exit."""
    done = run_cli(str(path), *extra)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


@pytest.mark.parametrize(("records", "expected"), [
    ([good(), '{"id": "m2", "author": "bo", '],
     "Fejl i linje 2: ugyldig JSON"),
    ([good(), good(id="m2"), "[1, 2, 3]"],
     "Fejl i linje 3: forventede et JSON-objekt med nøglerne id, author, role, text, ts"),
    ([good(), {k: v for k, v in good(id="m2").items() if k != "text"}],
     'Fejl i linje 2: nøglen "text" mangler'),
    ([{k: v for k, v in good().items() if k != "ts"}],
     'Fejl i linje 1: nøglen "ts" mangler'),
    ([good(text=42)], 'Fejl i linje 1: "text" skal være en tekst'),
    ([good(id="")], 'Fejl i linje 1: "id" skal være en tekst, der ikke er tom'),
    ([good(author=["anna"])], 'Fejl i linje 1: "author" skal være en tekst, der ikke er tom'),
    ([good(reply_to=7)], 'Fejl i linje 1: "reply_to" skal være en tekst eller null'),
    ([good(reactions={"👍": "many"})], 'Fejl i linje 1: "reactions" skal være et objekt'),
    ([good(reactions=["👍"])], 'Fejl i linje 1: "reactions" skal være et objekt'),
    ([good(reactions={"👍": -1})], 'Fejl i linje 1: "reactions" skal være et objekt'),
    ([good(reactions={"👍": 10**30})], 'Fejl i linje 1: "reactions" skal være et objekt'),
    ([good(ts="last Tuesday")], 'Fejl i linje 1: "ts" skal være en dato og et tidspunkt'),
    ([good(ts=True)], 'Fejl i linje 1: "ts" skal være en dato og et tidspunkt'),
    ([good(), '{"id": "m2", "author": "b", "role": "citizen", "text": "x", "ts": NaN}'],
     "Fejl i linje 2: ugyldig JSON"),
    ([good(), good(id="m2", role="mayor")],
     'Fejl i linje 2: ukendt role "mayor"; brug en af: citizen, politician, staff, host'),
    ([good(item="wish")],
     'Fejl i linje 1: ukendt item "wish"; brug en af: idea, question, agree, action, note, '
     "proposal"),
    ([good(lang="de")], 'Fejl i linje 1: ukendt lang "de"; brug en af: da, nb, sv, en'),
    ([good(), good(id="m2"), good()],
     'Fejl i linje 3: id\'et "m1" er allerede brugt i linje 1'),
    ([good(), good(id="m2", text="x" * 20_001)],
     "Fejl i linje 2: teksten er længere end 20000 tegn"),
])
def test_bad_lines_name_the_line(tmp_path: Path, records: list[Any], expected: str) -> None:
    line = bad(write_jsonl(tmp_path / "bad.jsonl", records))
    assert line.startswith(expected), line


def test_a_ten_megabyte_message(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "huge.jsonl", [good(), good(id="m2", text="å" * 10_000_000)])
    assert bad(path).startswith("Fejl i linje 2: linjen er for lang")


def test_a_message_at_the_limit_is_accepted(tmp_path: Path) -> None:
    text = ("Cykelsti på Skolevej. " * 1000)[:20_000]
    path = write_jsonl(tmp_path / "long.jsonl", [good(text=text)])
    done = run_cli(str(path))
    assert done.returncode == 0, done.stderr
    # shown shortened to one readable line, and counted as one message
    assert "\n1. Cykelsti på Skolevej. Cykelsti på Skolevej." in done.stdout
    point = done.stdout.split("\n1. ", 1)[1].split("\n", 1)[0]
    assert point.endswith("…") and len(point) <= 300
    assert "1 besked fra 1 person" in done.stdout


@pytest.mark.parametrize(("line", "key"), [
    ('{"id": "m2", "author": "bo", "role": "citizen", "text": "Bus \\ud800 nu", "ts": 0}',
     "text"),
    ('{"id": "m2", "author": "b\\udfffo", "role": "citizen", "text": "Bus nu", "ts": 0}',
     "author"),
    ('{"id": "m2", "author": "bo", "role": "citizen", "text": "Bus", "ts": 0, '
     '"reactions": {"\\ud83d": 1}}', "reactions"),
])
def test_a_lone_surrogate_names_the_line(tmp_path: Path, line: str, key: str) -> None:
    """JSON can escape half a surrogate pair; printing it would crash, so it is refused."""
    path = write_jsonl(tmp_path / "surrogate.jsonl", [good(), line])
    message = bad(path)
    assert message.startswith(f'Fejl i linje 2: "{key}" indeholder et tegn, der ikke er gyldig '
                              "Unicode (U+D"), message
    assert bad(path, "--lang", "en").startswith(f'Error on line 2: "{key}" contains a character')


def test_an_escaped_surrogate_pair_is_fine(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "pair.jsonl", [
        '{"id": "m1", "author": "bo", "role": "citizen", "ts": 0, '
        '"text": "Vi mangler en cykelsti langs Skolevej \\ud83d\\udeb2 ved skolen."}'
    ])
    done = run_cli(str(path))
    assert done.returncode == 0, done.stderr
    assert "1. Vi mangler en cykelsti langs Skolevej 🚲 ved skolen." in done.stdout


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps(good()).encode() + b"\n" + '{"text": "bl\xe5"}'.encode("latin-1"))
    assert bad(path) == "Fejl i linje 2: linjen er ikke gyldig UTF-8-tekst"


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_an_empty_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text(content, encoding="utf-8")
    assert bad(path) == "Fejl: filen indeholder ingen beskeder"


def test_a_missing_file_and_a_directory(tmp_path: Path) -> None:
    missing = bad(tmp_path / "nope.jsonl")
    assert missing.startswith("Fejl: kan ikke læse ") and "nope.jsonl" in missing
    assert bad(tmp_path).startswith("Fejl: kan ikke læse ")


def test_errors_follow_the_readers_language(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [good(), "{nope"])
    assert bad(path, "--lang", "sv").startswith("Fel på rad 2: ogiltig JSON")
    assert bad(path, "--lang", "nb").startswith("Feil på linje 2: ugyldig JSON")
    assert bad(path, "--lang", "en").startswith("Error on line 2: not valid JSON")


def test_points_out_of_range(salon_file: Path) -> None:
    assert bad(salon_file, "--points", "0") == "Fejl: --points skal være mellem 1 og 50."


def test_load_jsonl_raises_with_the_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [good(), good(id="m2", role="king")])
    with pytest.raises(SummaryInputError) as caught:
        load_jsonl(path)
    assert caught.value.line == 2
    assert "unknown role" in str(caught.value) and str(caught.value).startswith("line 2:")
