"""The real-server harness itself: LocalSynapse, the nio client fixtures, the databases."""

from __future__ import annotations

import importlib.util
import re
import socket
import urllib.request
from pathlib import Path

import pytest
from matrix_helpers import (
    TestUser,
    accept_invite,
    send_text,
    sync_until,
    wait_for_invite,
    wait_for_message,
)
from nio import (
    AsyncClient,
    RoomCreateResponse,
    RoomGetStateEventResponse,
    RoomMessageText,
)
from sqlalchemy import create_engine, inspect, text

from bot.localserver import RELAXED_RATE_LIMIT_KEYS, LocalSynapse, LocalSynapseError

ENCRYPTION_STATE = {
    "type": "m.room.encryption",
    "state_key": "",
    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
}


def _answers(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/_matrix/client/versions", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


# ------------------------------------------------------------ LocalSynapse


@pytest.mark.matrix
def test_start_restart_stop_keeps_state(tmp_path: Path) -> None:
    with LocalSynapse(tmp_path / "hs") as hs:
        assert hs.is_running() and _answers(hs.base_url)
        assert hs.register("carol", "pw1") == "@carol:localhost"
        with pytest.raises(LocalSynapseError, match="already running"):
            LocalSynapse(tmp_path / "hs").start()  # two servers on one SQLite DB
        url = hs.base_url
        hs.restart()
        assert hs.base_url == url, "clients keep talking to the same URL after a restart"
        assert _answers(hs.base_url)
        assert hs.register("carol", "other") == "@carol:localhost"  # survived the restart
    assert not hs.is_running()
    assert not _answers(url)


def test_register_is_idempotent(synapse: LocalSynapse) -> None:
    first = synapse.register("idempotent", "secret")
    assert first == f"@idempotent:{synapse.server_name}"
    assert synapse.register("idempotent", "secret") == first
    assert synapse.register("idempotent", "different", admin=True) == first
    # Synapse lower-cases localparts.
    assert synapse.register("MixedCase", "secret") == f"@mixedcase:{synapse.server_name}"


@pytest.mark.matrix
def test_start_failure_reports_synapse_log(tmp_path: Path) -> None:
    hs = LocalSynapse(tmp_path / "bad", extra_config={"default_room_version": "999"})
    with pytest.raises(LocalSynapseError, match="Unknown default_room_version"):
        hs.start(timeout=30)
    assert not hs.is_running()


@pytest.mark.matrix
def test_lost_port_race_is_retried(tmp_path: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        hs = LocalSynapse(tmp_path / "hs")
        hs._port = squatter.getsockname()[1]  # as if someone grabbed our free port
        try:
            hs.start()
            assert hs.port != squatter.getsockname()[1]
            assert _answers(hs.base_url)
        finally:
            hs.stop()


@pytest.mark.matrix
def test_relaxed_rate_limits_cover_installed_synapse(tmp_path: Path) -> None:
    """Fails when a Synapse upgrade adds a rate limiter we don't relax yet."""
    spec = importlib.util.find_spec("synapse")
    assert spec is not None and spec.origin is not None
    source = (Path(spec.origin).parent / "config" / "ratelimiting.py").read_text()
    keys = set(re.findall(r'RatelimitSettings\.parse\(\s*config,\s*"([^"]+)"', source))
    assert keys, "could not parse synapse/config/ratelimiting.py"
    assert keys <= set(RELAXED_RATE_LIMIT_KEYS), keys - set(RELAXED_RATE_LIMIT_KEYS)

    relaxed = LocalSynapse(tmp_path, port=1).config()
    assert relaxed["rc_login"]["failed_attempts"]["burst_count"] >= 10_000
    strict = LocalSynapse(tmp_path, port=1, rate_limited=True).config()
    assert not [k for k in strict if k.startswith("rc_")], "rate_limited keeps Synapse defaults"


# ------------------------------------------------------- Matrix end-to-end


async def _room_with(
    alice: AsyncClient, bob: AsyncClient, bob_user: TestUser, *, encrypted: bool
) -> str:
    """Alice creates a room, Bob joins, and Alice has seen Bob join (needed for e2e)."""
    resp = await alice.room_create(
        name="salon",
        invite=[bob_user.user_id],
        initial_state=[ENCRYPTION_STATE] if encrypted else [],
    )
    assert isinstance(resp, RoomCreateResponse), resp
    room_id = resp.room_id
    assert await wait_for_invite(bob, room_id=room_id) == room_id
    await accept_invite(bob, room_id)
    await sync_until(
        alice,
        lambda: room_id in alice.rooms and bob_user.user_id in alice.rooms[room_id].users,
        what="Bob's join",
    )
    assert alice.rooms[room_id].encrypted is encrypted
    assert bob.rooms[room_id].encrypted is encrypted
    return room_id


async def _exchange(alice: AsyncClient, bob: AsyncClient, room_id: str) -> list[RoomMessageText]:
    event_id = await send_text(alice, room_id, "Hej Bob, välkommen till salongen!")
    got = await wait_for_message(bob, room_id, lambda e: e.event_id == event_id)
    reply_id = await send_text(bob, room_id, "Tack, Alice!")
    reply = await wait_for_message(alice, room_id, lambda e: e.event_id == reply_id)
    assert isinstance(got, RoomMessageText) and got.body == "Hej Bob, välkommen till salongen!"
    assert isinstance(reply, RoomMessageText) and reply.body == "Tack, Alice!"
    assert got.sender == alice.user_id and reply.sender == bob.user_id
    return [got, reply]


async def test_unencrypted_room_exchange(make_user, matrix_client) -> None:
    alice_user, bob_user = make_user("alice"), make_user("bob")
    alice, bob = await matrix_client(alice_user), await matrix_client(bob_user)
    room_id = await _room_with(alice, bob, bob_user, encrypted=False)
    for event in await _exchange(alice, bob, room_id):
        assert not event.decrypted


async def test_encrypted_room_exchange(make_user, matrix_client) -> None:
    alice_user, bob_user = make_user("alice"), make_user("bob")
    alice, bob = await matrix_client(alice_user), await matrix_client(bob_user)
    room_id = await _room_with(alice, bob, bob_user, encrypted=True)
    for event in await _exchange(alice, bob, room_id):
        assert event.decrypted, "the message went over the wire encrypted and was decrypted"


async def test_default_room_version_creator_power(make_user, matrix_client) -> None:
    """Characterises a trap for the bot: Synapse 1.163 creates v12 rooms by default.

    In room v12 the creator has unlimited power *without* being listed in
    ``m.room.power_levels``, and matrix-nio 0.26 does not know that, so
    ``room.power_levels.get_user_level(creator)`` says 0.  Bot code must treat
    the ``m.room.create`` sender (and ``additional_creators``) as all-powerful.
    """
    alice = await matrix_client(make_user("alice"))
    resp = await alice.room_create(name="power")
    assert isinstance(resp, RoomCreateResponse), resp
    create = await alice.room_get_state_event(resp.room_id, "m.room.create")
    power = await alice.room_get_state_event(resp.room_id, "m.room.power_levels")
    assert isinstance(create, RoomGetStateEventResponse), create
    assert isinstance(power, RoomGetStateEventResponse), power
    assert create.content.get("room_version") == "12"
    assert alice.user_id not in power.content.get("users", {})
    await sync_until(alice, lambda: resp.room_id in alice.rooms, what="the new room")
    assert alice.rooms[resp.room_id].power_levels.get_user_level(alice.user_id) == 0


# ---------------------------------------------------------------- databases


def test_postgres_fixture_gives_working_database(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
            assert conn.execute(text("select current_database()")).scalar_one()
            # Nordic case folding must work like on a production server (not the C locale).
            assert conn.execute(text("select lower('ÅSA ÖBERG')")).scalar_one() == "åsa öberg"
    finally:
        engine.dispose()


def test_db_url_is_fresh_and_usable(db_url: str, request: pytest.FixtureRequest) -> None:
    backend = request.node.callspec.params["db_url"]
    engine = create_engine(db_url)
    try:
        assert engine.dialect.name == backend
        assert inspect(engine).get_table_names() == []
        with engine.begin() as conn:
            conn.execute(text("create table salon (id integer primary key, title text)"))
            conn.execute(text("insert into salon (id, title) values (1, 'Kaffesalong')"))
        with engine.connect() as conn:
            assert conn.execute(text("select title from salon")).scalar_one() == "Kaffesalong"
    finally:
        engine.dispose()


def test_db_url_gives_a_new_database_every_time(db_url: str) -> None:
    """Runs after the test above wrote a table: each test must start empty."""
    engine = create_engine(db_url)
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


async def test_late_joiner_needs_a_sender_sync(make_user, matrix_client) -> None:
    """Characterises nio's e2e behaviour the helpers' docstrings warn about.

    A member that joined after the sender's last sync does not get the megolm
    key; once the sender has synced (and seen the join) nio rotates the
    session and includes the newcomer.
    """
    alice_user, bob_user, carol_user = make_user("alice"), make_user("bob"), make_user("carol")
    alice, bob = await matrix_client(alice_user), await matrix_client(bob_user)
    carol = await matrix_client(carol_user)
    room_id = await _room_with(alice, bob, bob_user, encrypted=True)
    await _exchange(alice, bob, room_id)

    await alice.room_invite(room_id, carol_user.user_id)
    await accept_invite(carol, await wait_for_invite(carol, room_id=room_id))
    unseen = await send_text(alice, room_id, "before Alice saw Carol join")
    with pytest.raises(TimeoutError, match="could not be decrypted"):
        await wait_for_message(carol, room_id, lambda e: e.event_id == unseen, timeout=1.5)

    await sync_until(alice, lambda: carol_user.user_id in alice.rooms[room_id].users)
    seen = await send_text(alice, room_id, "after Alice saw Carol join")
    got = await wait_for_message(carol, room_id, lambda e: e.event_id == seen)
    assert isinstance(got, RoomMessageText) and got.decrypted
