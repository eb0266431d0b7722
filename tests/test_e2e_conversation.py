"""A citizen talking to the bot on a real Synapse: invites, replies, refusals, failures."""

from __future__ import annotations

import re

from bot_fixtures import *  # noqa: F403
from bot_fixtures import Citizen, failing_registry, in_reply_to
from nio import RoomCreateResponse, RoomMessageNotice, RoomPreset

from bot.commands import CommandSpec, Registry
from bot.context import Context
from bot.i18n import translator
from bot.matrix.session import CREDENTIALS_FILE
from bot.parser import ParsedCommand
from bot.replies import Reply
from handlers import build_registry


async def test_a_citizen_invites_the_bot_and_gets_help_as_a_notice_reply(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    citizen: Citizen = await make_citizen()

    room_id = await citizen.open_chat_with(bot.user_id)
    command = await citizen.say(room_id, "!salon help")
    await citizen.until(lambda: citizen.replies_to(command), what="the help reply")

    [reply] = citizen.replies_to(command)
    assert isinstance(reply, RoomMessageNotice), "bots answer with m.notice"
    assert reply.sender == bot.user_id
    content = reply.source["content"]
    assert content["m.relates_to"]["m.in_reply_to"]["event_id"] == command
    assert content["format"] == "org.matrix.custom.html"
    # Danish by default: the verbs are shown in Danish, with the English word beside them.
    assert "åbn (open)" in content["body"]
    assert "**" not in content["body"], "the plain body carries no Markdown"
    assert "<strong>åbn</strong>" in content["formatted_body"]
    assert "<li>" in content["formatted_body"]


async def test_commands_sent_while_the_bot_was_invited_are_answered_but_not_older_ones(
        make_bot, make_citizen) -> None:
    bot = await make_bot()
    citizen: Citizen = await make_citizen()
    room_id = await citizen.create_room()
    history = await citizen.say(room_id, "!salon help")

    await citizen.client.room_invite(room_id, bot.user_id)
    command = await citizen.say(room_id, "!salon language en")

    await citizen.until(lambda: citizen.replies_to(command), what="the language reply")
    [reply] = citizen.replies_to(command)
    assert reply.body == translator("en")._("From now on I write to you in {language}.").format(
        language="English")
    later = await citizen.ask(room_id, "!salon help")
    # The help is in English now: English verbs and summaries, no Danish ones beside them.
    assert "• open: Opens a new salon with its own room" in later.body
    assert "åbn" not in later.body and "hjælp" not in later.body
    assert citizen.replies_to(history) == [], "what was said before the invite is history"


async def test_the_bot_keeps_its_device_across_restarts(make_bot, make_citizen) -> None:
    bot = await make_bot()
    device = bot.config.matrix.store_path / CREDENTIALS_FILE
    first = device.read_text()
    assert oct(device.stat().st_mode & 0o777) == "0o600", "credentials are private"
    assert await bot.stop() == 0

    await bot.start()
    assert device.read_text() == first, "a restart reuses the device and its access token"
    citizen: Citizen = await make_citizen()
    room_id = await citizen.open_chat_with(bot.user_id)
    reply = await citizen.ask(room_id, "!salon help")
    assert reply.sender == bot.user_id


async def test_invites_from_people_outside_allowed_users_are_declined_politely(
        make_bot, make_citizen) -> None:
    bot = await make_bot(allowed_users=[r"@citizen[0-9a-z]*:localhost"])
    stranger: Citizen = await make_citizen("stranger")

    room_id = await stranger.create_room_inviting(bot.user_id)

    def bot_left() -> bool:
        room = stranger.client.rooms.get(room_id)
        return room is not None and bot.user_id not in room.users

    await stranger.until(bot_left, what="the bot declining the invite")
    state = await stranger.client.room_get_state_event(room_id, "m.room.member", bot.user_id)
    assert state.content["membership"] == "leave"
    assert "Beklager" in state.content.get("reason", ""), "the reason says sorry, in Danish"


async def test_a_command_from_someone_not_allowed_is_refused_and_does_nothing(
        make_bot, make_citizen) -> None:
    bot = await make_bot(allowed_users=[r"@citizen[0-9a-z]*:localhost"])
    citizen: Citizen = await make_citizen()
    stranger: Citizen = await make_citizen("stranger")
    room_id = await citizen.open_chat_with(bot.user_id, invite=(stranger.user_id,))
    await stranger.accept_invite(room_id)
    rooms_before = set(citizen.client.rooms)

    command = await stranger.say(room_id, '!salon open "Ny legeplads"')
    await stranger.until(lambda: stranger.replies_to(command), what="the refusal")

    [reply] = stranger.replies_to(command)
    assert reply.body == translator("da")._(
        "Sorry, this bot only serves the people it was set up for.")
    await citizen.until(lambda: citizen.replies_to(command), what="the refusal, seen by all")
    assert stranger.client.invited_rooms == {}, "no salon was opened for the stranger"
    assert set(citizen.client.rooms) == rooms_before


async def test_a_failing_handler_apologises_with_a_reference_that_is_in_the_log(
        make_bot, make_citizen, bot_log) -> None:
    bot = await make_bot(registry=failing_registry)
    citizen: Citizen = await make_citizen()
    room_id = await citizen.open_chat_with(bot.user_id)

    apology = await citizen.ask(room_id, "!salon boom")

    match = re.search(r"\b([0-9a-f]{8})\b", apology.body)
    assert match, f"the apology gives a reference: {apology.body!r}"
    reference = match.group(1)
    failures = [r for r in bot_log.records if reference in r.getMessage()]
    assert failures and failures[0].exc_info is not None, "the log has the traceback"
    assert "boom: a test-only failure" in bot_log.text()

    after = await citizen.ask(room_id, "!salon help")
    assert in_reply_to(after) is not None and "åbn" in after.body, "the bot keeps answering"


async def test_the_staff_room_is_joined_at_start(make_bot, make_citizen) -> None:
    staff: Citizen = await make_citizen("staff")
    alias = f"staff-{staff.user.localpart}"
    created = await staff.client.room_create(alias=alias, name="Staff",
                                             preset=RoomPreset.public_chat)
    assert isinstance(created, RoomCreateResponse), created

    bot = await make_bot(staff_room=f"#{alias}:localhost", staff=[staff.user_id])

    await staff.until(lambda: staff.has_joined(created.room_id, bot.user_id),
                      what="the bot in the staff room")


def _registry_with_private_replies() -> Registry:
    """The real commands plus two test-only ones whose replies go elsewhere."""
    registry = build_registry()

    async def whisper(command: ParsedCommand, ctx: Context) -> list[Reply]:
        return [Reply("A **private** note for you.", direct_to=ctx.sender),
                Reply("I have sent you a direct message.")]

    async def tell_staff(command: ParsedCommand, ctx: Context) -> list[Reply]:
        assert ctx.staff_room_id is not None
        return [Reply(f"Message from {ctx.sender}", room_id=ctx.staff_room_id),
                Reply("The staff have been told.")]

    registry.add(CommandSpec(name="whisper", handler=whisper, usage="{prefix} whisper",
                             summary="answers in a direct chat"))
    registry.add(CommandSpec(name="tell-staff", handler=tell_staff, usage="{prefix} tell-staff",
                             summary="posts into the staff room"))
    return registry


async def test_replies_can_go_to_a_direct_chat_or_to_another_room(
        make_bot, make_citizen) -> None:
    staff: Citizen = await make_citizen("staff")
    alias = f"staff-{staff.user.localpart}"
    created = await staff.client.room_create(alias=alias, preset=RoomPreset.public_chat)
    assert isinstance(created, RoomCreateResponse), created
    bot = await make_bot(staff_room=f"#{alias}:localhost", registry=_registry_with_private_replies)
    citizen: Citizen = await make_citizen()
    friend: Citizen = await make_citizen("friend")
    group = await citizen.open_chat_with(bot.user_id, invite=(friend.user_id,), encrypted=True)
    await friend.accept_invite(group)

    command = await citizen.say(group, "!salon whisper")
    await citizen.until(lambda: citizen.replies_to(command), what="the public part")
    direct = await citizen.accept_invite()
    assert direct != group
    await citizen.until(lambda: citizen.messages(direct, bot.user_id), what="the private note")
    [note] = citizen.messages(direct, bot.user_id)
    assert isinstance(note, RoomMessageNotice) and note.decrypted
    assert note.body == "A private note for you."
    assert in_reply_to(note) is None
    again = await citizen.say(group, "!salon whisper")
    await citizen.until(lambda: citizen.replies_to(again), what="the second public part")
    await citizen.until(lambda: len(citizen.messages(direct, bot.user_id)) == 2,
                        what="a second note in the same direct chat")
    assert not citizen.client.invited_rooms, "no second direct chat was opened"

    told = await citizen.say(group, "!salon tell-staff")
    await staff.until(lambda: staff.messages(created.room_id, bot.user_id),
                      what="the message in the staff room")
    [posted] = staff.messages(created.room_id, bot.user_id)
    assert posted.body == f"Message from {citizen.user_id}" and in_reply_to(posted) is None
    await citizen.until(lambda: citizen.replies_to(told), what="the confirmation")
