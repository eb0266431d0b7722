"""A bot in its own process: its output in a log file, when each line arrived, its memory.

Lines are read by a thread as they are written, so "the bot logged X" is timed to within
microseconds instead of the polling interval of a log file.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import psutil


def _die_with_parent() -> None:  # runs in the child between fork and exec
    """A benchmark interrupted with SIGKILL must not leave bots behind."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class BotProcess:
    """``argv`` starts the bot; with ``profile_dir``, ``python -m cProfile -o <file>
    *profile_args`` does instead, a new profile file for every start."""

    def __init__(self, name: str, argv: Sequence[str], log_path: Path, cwd: Path, *,
                 profile_args: Sequence[str] = (), profile_dir: Path | None = None) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.cwd = cwd
        self.profile_args = list(profile_args)
        self.profile_dir = profile_dir
        self.profiles: list[Path] = []
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0
        self._lines: list[tuple[float, str]] = []
        self._lock = threading.Lock()
        self._reader: threading.Thread | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SALONBOT_")}
        env["PYTHONUNBUFFERED"] = "1"
        with self._lock:
            self._lines = []
        argv = self.argv
        if self.profile_dir is not None and self.profile_args:
            profile = self.profile_dir / f"{self.name}-{len(self.profiles) + 1}.prof"
            self.profiles.append(profile)
            argv = [sys.executable, "-m", "cProfile", "-o", str(profile), *self.profile_args]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv, cwd=self.cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        self._reader = threading.Thread(target=self._read, args=(self.proc,),
                                        name=f"{self.name}-log", daemon=True)
        self._reader.start()

    def _read(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        with open(self.log_path, "ab") as log:
            log.write(f"--- {self.name}: {' '.join(self.argv[:4])} ...\n".encode())
            for raw in proc.stdout:
                now = time.perf_counter()
                log.write(raw)
                log.flush()
                with self._lock:
                    self._lines.append((now, raw.decode("utf-8", "replace")))

    def lines(self) -> list[tuple[float, str]]:
        with self._lock:
            return list(self._lines)

    async def wait_for(self, text: str, timeout: float = 60.0) -> tuple[float, str]:
        """Seconds from ``start()`` until this run logged a line containing ``text``, and
        the line."""
        deadline = time.monotonic() + timeout
        while True:
            for at, line in self.lines():
                if text in line:
                    return at - self.started, line
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before "
                                   f"logging {text!r}; see {self.log_path}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} did not log {text!r} in {timeout:g} s; "
                                   f"see {self.log_path}")
            await asyncio.sleep(0.01)

    def errors(self) -> list[str]:
        return [line.rstrip() for _, line in self.lines()
                if " ERROR " in line or "Traceback" in line]

    async def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, as an operator stops it; SIGKILL if it does not end in time."""
        proc = self.proc
        if proc is None:
            return 0
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(proc.wait, timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                await asyncio.to_thread(proc.wait, 10)
        if self._reader is not None:
            self._reader.join(5)
        self.proc = None
        return proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def rss(self) -> int:
        """Resident memory now, in bytes."""
        return int(psutil.Process(self.pid).memory_info().rss)

    def peak_rss(self) -> int:
        """``VmHWM``: the most resident memory the process has had, in bytes."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmHWM in /proc/<pid>/status")
