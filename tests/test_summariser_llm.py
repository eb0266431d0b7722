"""LLM prose against a small local endpoint: used when it works, ignored when it does not."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from summariser_helpers import danish_salon, swedish_salon

from bot.summariser import (
    LLMSettings,
    render,
    summarise,
    summarise_with_llm,
    summarise_with_llm_async,
)

PROSE = "Mange ønsker en sikker cykelsti langs Skolevej. Spørgsmålet om bus 12 er åbent."


class Endpoint(BaseHTTPRequestHandler):
    """Behaves according to the first path segment: /ok, /slow, /fail, /garbage, ..."""

    requests: list[dict[str, Any]] = []

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return None

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Endpoint.requests.append({
            "path": self.path, "auth": self.headers.get("Authorization"),
            "body": json.loads(body),
        })
        mode = self.path.strip("/").split("/")[0]
        if mode == "slow":
            time.sleep(8)  # far past any time limit the tests set
        if mode in ("cut", "hangup"):
            self._hang_up(mode)
        elif mode == "fail":
            self._send(500, b'{"error": "overloaded"}')
        elif mode == "garbage":
            self._send(200, b"<html>this is not json</html>")
        elif mode == "empty":
            self._send(200, json.dumps(_completion("   ")).encode())
        elif mode == "nochoices":
            self._send(200, b'{"choices": []}')
        elif mode == "think":
            self._send(200, json.dumps(_completion("<think>hmm</think>\n" + PROSE)).encode())
        else:
            self._send(200, json.dumps(_completion(PROSE)).encode())

    def _hang_up(self, mode: str) -> None:
        """"cut": headers promise 1000 bytes and the connection closes after 20 of them
        (IncompleteRead in the client); "hangup": it closes before any answer."""
        self.close_connection = True
        if mode == "cut":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(json.dumps(_completion(PROSE)).encode()[:20])
            self.wfile.flush()

    def _send(self, status: int, payload: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up (timeout test)


def _completion(content: str) -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                         "finish_reason": "stop"}]}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def settings(server: str, mode: str, timeout: float = 5.0) -> LLMSettings:
    return LLMSettings(base_url=f"{server}/{mode}/v1", model="salon-model", api_key="sekret",
                       timeout=timeout)


def test_prose_from_the_model_is_used(server: str) -> None:
    Endpoint.requests.clear()
    summary = summarise_with_llm(danish_salon(), llm=settings(server, "ok"), points=5)
    assert summary.mode == "llm"
    assert summary.llm_prose == PROSE
    assert summary.to_dict()["llm_prose"] == PROSE
    assert len(summary.key_points) == 5  # the extractive part is still there
    sent = Endpoint.requests[-1]
    assert sent["path"] == "/ok/v1/chat/completions"
    assert sent["auth"] == "Bearer sekret"
    assert sent["body"]["model"] == "salon-model"
    prompt = "\n".join(message["content"] for message in sent["body"]["messages"])
    assert "Danish" in prompt  # the salon's language
    assert "Der mangler en sikker cykelsti langs Skolevej" in prompt  # grounded in key points
    assert "Lav et kys og kør område ved hallen" in prompt  # and in the items
    assert "Kan bus 12 ikke køre helt op til skolen" in prompt  # and in open questions
    assert "anna" not in prompt  # no pseudonyms go to the model
    assert "Kort fortalt" in render(summary, "text", "da")


def test_prose_is_asked_for_in_the_salons_language(server: str) -> None:
    Endpoint.requests.clear()
    summarise_with_llm(swedish_salon(), llm=settings(server, "ok"))
    assert "Swedish" in Endpoint.requests[-1]["body"]["messages"][0]["content"]


def test_reasoning_is_stripped(server: str) -> None:
    summary = summarise_with_llm(danish_salon(), llm=settings(server, "think"))
    assert summary.llm_prose == PROSE


@pytest.mark.parametrize(("mode", "reason"), [
    ("fail", "HTTP 500"),
    ("garbage", "not a chat completion"),
    ("empty", "empty"),
    ("nochoices", "not a chat completion"),
])
def test_failures_fall_back_to_the_extractive_summary(
    server: str, caplog: pytest.LogCaptureFixture, mode: str, reason: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="salonbot.summariser"):
        summary = summarise_with_llm(danish_salon(), llm=settings(server, mode))
    assert summary.mode == "extractive" and summary.llm_prose is None
    assert summary == summarise(danish_salon())  # exactly the extractive summary
    assert "Kort fortalt" not in render(summary, "text", "da")
    assert any(reason in record.getMessage() and record.name == "salonbot.summariser"
               for record in caplog.records), caplog.text
    assert "sekret" not in caplog.text


def test_a_slow_model_is_cut_off_at_the_time_limit(
    server: str, caplog: pytest.LogCaptureFixture
) -> None:
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="salonbot.summariser"):
        summary = summarise_with_llm(danish_salon(), llm=settings(server, "slow", timeout=0.5))
    elapsed = time.perf_counter() - started
    assert summary.mode == "extractive"
    assert elapsed < 5.0, f"waited {elapsed:.1f} s for a model that answers after 8 s"
    assert "no answer within 0.5 seconds" in caplog.text


def test_an_unreachable_endpoint_falls_back(caplog: pytest.LogCaptureFixture) -> None:
    unreachable = LLMSettings(base_url="http://127.0.0.1:9/v1", model="m", timeout=2)
    with caplog.at_level(logging.WARNING, logger="salonbot.summariser"):
        summary = summarise_with_llm(danish_salon(), llm=unreachable)
    assert summary.mode == "extractive"
    assert "request to the LLM endpoint failed" in caplog.text


def test_only_http_endpoints_are_used(caplog: pytest.LogCaptureFixture) -> None:
    local_file = LLMSettings(base_url="file:///etc/passwd#", model="m")
    with caplog.at_level(logging.WARNING, logger="salonbot.summariser"):
        summary = summarise_with_llm(danish_salon(), llm=local_file)
    assert summary.mode == "extractive"
    assert "must be http or https" in caplog.text


@pytest.mark.parametrize(("mode", "reason"), [
    ("cut", "IncompleteRead"),
    ("hangup", "Remote end closed connection without response"),
])
def test_a_connection_closed_mid_answer_falls_back(
    server: str, caplog: pytest.LogCaptureFixture, mode: str, reason: str
) -> None:
    """http.client's own errors (not OSError) must not escape the worker thread."""
    with caplog.at_level(logging.WARNING, logger="salonbot.summariser"):
        summary = summarise_with_llm(danish_salon(), llm=settings(server, mode))
    assert summary.mode == "extractive" and summary.llm_prose is None
    assert summary.key_points == summarise(danish_salon()).key_points
    failures = [record.getMessage() for record in caplog.records
                if record.name == "salonbot.summariser" and record.levelno == logging.WARNING]
    assert len(failures) == 1, failures
    assert "request to the LLM endpoint failed" in failures[0] and reason in failures[0]


async def test_async_variant(server: str) -> None:
    summary = await summarise_with_llm_async(danish_salon(), llm=settings(server, "ok"), points=3)
    assert summary.mode == "llm" and summary.llm_prose == PROSE
    assert summary.key_points == summarise(danish_salon(), points=3).key_points
