"""A salon's whole life on a real Synapse, in encrypted rooms, as its people see it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bot_fixtures import *  # noqa: F403
from bot_fixtures import Citizen, power_users, raw_event, room_state
from nio import RoomMessageNotice

from bot.localserver import LocalSynapse


async def test_a_salon_from_open_to_close(make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    politician: Citizen = await make_citizen("politician")
    chat = await host.open_chat_with(bot.user_id)
    await host.ask(chat, "!salon language en")

    opened = await host.ask(chat, '!salon open "Ny legeplads" --topic "Where should it go?"')
    assert "Ny legeplads" in opened.body and "host" in opened.body
    salon = await host.accept_invite()
    assert f"https://matrix.to/#/{salon}?via=localhost" in opened.source["content"][
        "formatted_body"], "the reply links to the new room"

    state = await room_state(host.client, salon)
    assert state[("m.room.name", "")]["content"]["name"] == "Ny legeplads"
    assert state[("m.room.topic", "")]["content"]["topic"] == "Where should it go?"
    assert state[("m.room.encryption", "")]["content"]["algorithm"] == "m.megolm.v1.aes-sha2"
    # Synapse's default room version 12: the bot created the room, so it has unlimited power
    # and must not be listed; the host is a moderator.
    create = state[("m.room.create", "")]
    assert create["sender"] == bot.user_id and create["content"]["room_version"] == "12"
    assert state[("m.room.power_levels", "")]["content"]["users"] == {host.user_id: 50}

    invited = await host.ask(salon, f"!salon invite {neighbour.user_id}")
    assert neighbour.user_id in invited.body and "Invited" in invited.body
    await neighbour.accept_invite(salon)
    invited = await host.ask(salon, f"!salon invite {politician.user_id} as politician")
    assert "politician" in invited.body
    await politician.accept_invite(salon)

    info = await host.ask(salon, "!salon info")
    assert "Participants: 3 (2 citizens and 1 politician)" in info.body
    assert "Where should it go?" in info.body

    topic = await host.ask(salon, '!salon topic "Legepladsen ved skolen"')
    assert "Legepladsen ved skolen" in topic.body
    state = await room_state(host.client, salon)
    assert state[("m.room.topic", "")]["content"]["topic"] == "Legepladsen ved skolen"

    await host.ask(salon, f"!salon cohost {neighbour.user_id}")
    assert await power_users(host.client, salon) == {host.user_id: 50, neighbour.user_id: 50}

    await politician.client.room_leave(salon)
    info = await host.ask(salon, "!salon info")
    assert "Participants: 2 (2 citizens)" in info.body, "who leaves in their app is gone"

    closed = await host.ask(salon, '!salon close "We found a place"')
    assert "closed" in closed.body
    state = await room_state(host.client, salon)
    assert state[("m.room.name", "")]["content"]["name"] == "Ny legeplads (closed)"


async def test_commands_in_encrypted_rooms_are_answered_encrypted(make_bot, make_citizen) -> None:
    bot = await make_bot()
    citizen: Citizen = await make_citizen()
    chat = await citizen.open_chat_with(bot.user_id, encrypted=True)

    command = await citizen.say(chat, "!salon help")
    await citizen.until(lambda: citizen.replies_to(command), what="the encrypted reply")

    [reply] = citizen.replies_to(command)
    assert isinstance(reply, RoomMessageNotice) and reply.decrypted, "the citizen decrypts it"
    assert "åbn" in reply.body
    for event_id in (command, reply.event_id):
        raw = await raw_event(citizen.client, chat, event_id)
        assert raw["type"] == "m.room.encrypted", "nothing travels in clear text"
        assert "body" not in raw["content"]

    # The salon rooms the bot opens are encrypted too, and a second member reads the bot.
    await citizen.ask(chat, "!salon language en")
    await citizen.ask(chat, '!salon open "Cykelsti"')
    salon = await citizen.accept_invite()
    friend: Citizen = await make_citizen("friend")
    await citizen.ask(salon, f"!salon invite {friend.user_id}")
    await friend.accept_invite(salon)
    info_command = await citizen.say(salon, "!salon info")
    await friend.until(lambda: friend.replies_to(info_command), what="the info reply")
    [info] = friend.replies_to(info_command)
    assert info.decrypted and "Cykelsti" in info.body


@pytest.fixture(scope="module")
def synapse_with_room_version_10(tmp_path_factory: pytest.TempPathFactory
                                 ) -> Iterator[LocalSynapse]:
    """A homeserver whose new rooms still have version 10 (before creators had unlimited
    power), as many running servers do."""
    with LocalSynapse(Path(tmp_path_factory.mktemp("v10")),
                      extra_config={"default_room_version": "10"}) as server:
        yield server


async def test_on_older_room_versions_the_bot_keeps_power_100_and_hosts_get_50(
        make_bot, make_citizen, synapse_with_room_version_10: LocalSynapse) -> None:
    server = synapse_with_room_version_10
    bot = await make_bot(server=server)
    host: Citizen = await make_citizen("host", server=server)
    neighbour: Citizen = await make_citizen("neighbour", server=server)
    chat = await host.open_chat_with(bot.user_id)

    await host.ask(chat, '!salon open "Ny legeplads"')
    salon = await host.accept_invite()
    state = await room_state(host.client, salon)
    assert state[("m.room.create", "")]["content"]["room_version"] == "10"
    assert state[("m.room.power_levels", "")]["content"]["users"] == {
        bot.user_id: 100, host.user_id: 50}
    assert salon.endswith(":localhost")

    await host.ask(salon, f"!salon invite {neighbour.user_id}")
    await neighbour.accept_invite(salon)
    await host.ask(salon, f"!salon cohost {neighbour.user_id}")
    assert await power_users(host.client, salon) == {
        bot.user_id: 100, host.user_id: 50, neighbour.user_id: 50}


async def test_public_salons_are_listed_and_joined_by_number_or_room_alias(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    stranger: Citizen = await make_citizen("stranger")
    latecomer: Citizen = await make_citizen("latecomer")
    await host.ask(await host.open_chat_with(bot.user_id), '!salon open "Torvet" --public')
    salon = await host.accept_invite()
    alias = f"#torvet-{salon[1:7].lower()}:localhost"
    await host.client.room_put_alias(alias, salon)

    chat = await stranger.open_chat_with(bot.user_id)
    listed = await stranger.ask(chat, "!salon list")
    assert "#1" in listed.body and "Torvet" in listed.body
    joined = await stranger.ask(chat, "!salon join #1")
    assert "Torvet" in joined.body
    await stranger.accept_invite(salon)
    assert stranger.has_joined(salon, stranger.user_id)

    other_chat = await latecomer.open_chat_with(bot.user_id)
    by_alias = await latecomer.ask(other_chat, f"!salon join {alias}")
    assert "Torvet" in by_alias.body, by_alias.body
    await latecomer.accept_invite(salon)
    info = await host.ask(salon, "!salon info")
    assert "Deltagere: 3 (3 borgere)" in info.body, info.body


async def test_only_joined_people_become_cohosts_and_leaving_ends_the_standing(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    host: Citizen = await make_citizen("host")
    neighbour: Citizen = await make_citizen("neighbour")
    chat = await host.open_chat_with(bot.user_id)
    await host.ask(chat, "!salon language en")
    await host.ask(chat, '!salon open "Cykelsti"')
    salon = await host.accept_invite()

    await host.ask(salon, f"!salon invite {neighbour.user_id}")
    early = await host.ask(salon, f"!salon cohost {neighbour.user_id}")
    assert early.body == (
        f"{neighbour.user_id} is invited but has not joined the salon yet. Once they have "
        "accepted the invitation, make them co-host with !salon cohost "
        f"{neighbour.user_id}."), early.body
    assert await power_users(host.client, salon) == {host.user_id: 50}

    await neighbour.accept_invite(salon)
    await host.ask(salon, f"!salon cohost {neighbour.user_id}")
    assert await power_users(host.client, salon) == {host.user_id: 50, neighbour.user_id: 50}

    await neighbour.client.room_leave(salon)
    info = await host.ask(salon, "!salon info")
    assert f"Hosts: {host.user_id} (host)\n" in info.body, info.body
    assert await power_users(host.client, salon) == {host.user_id: 50}, (
        "Matrix keeps a moderator's power after leaving unless the bot takes it back")

    await host.ask(salon, f"!salon invite {neighbour.user_id}")
    await neighbour.accept_invite(salon)
    refused = await neighbour.ask(salon, '!salon topic "Cykelsti langs åen"')
    assert refused.body == f"Only the salon's hosts may use “topic”: {host.user_id}."
