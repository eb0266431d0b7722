"""`salonbot demo` must show a newcomer a salon opened and an invite sent, twice in a row."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _demo(data_dir: Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SALONBOT_LANG": lang}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "demo", "--once", "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=240, env=env,
    )


def test_demo_plays_a_salon_and_explains_how_to_log_in(tmp_path: Path) -> None:
    result = _demo(tmp_path / "demo", "da")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert '!salon open "Ny legeplads i Hørning"' in out
    assert "Din salon #1 »Ny legeplads i Hørning« er åben" in out
    assert "@bjorn:localhost (borger)" in out
    assert "Deltagere: 2" in out
    assert "Planlagt: møde 1." in out and "Næste møde: møde 1" in out
    # The municipality's side: the outcome reaches the case worker, her answer the salon.
    assert "Nyt resultat U-1 fra #1 »Ny legeplads i Hørning«" in out
    assert "Kommunen har svaret på U-1" in out and "budgettet for 2027" in out
    assert "Svaret er givet af en medarbejder i kommunen." in out
    assert "@karen:localhost" in out
    assert "Hjemmeserver: http://127.0.0.1:" in out
    assert "@anna:localhost" in out and "salon-demo" in out
    assert "Traceback" not in out + result.stderr
    # Run it again on the same data: accounts and the bot's device are reused.
    again = _demo(tmp_path / "demo", "en")
    assert again.returncode == 0, again.stdout + again.stderr
    # The citizens never chose a language, so the bot answers them in its default, Danish,
    # while the demo speaks to the operator in theirs.
    assert "Din salon #2 »Ny legeplads i Hørning« er åben" in again.stdout
    assert "Homeserver: http://127.0.0.1:" in again.stdout
