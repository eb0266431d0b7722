"""Who people mean when they name someone: Matrix user ids and salon roles as typed.

People type ``bjorn``, ``@bjorn`` or ``@Bjorn:example.org``; instead of a bare "invalid",
the reply suggests the id they most likely meant.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.commands import UsageError
from bot.config import USER_ID_RE
from bot.db import Role
from bot.i18n import Translator
from bot.replies import escape_markup

ROLE_WORDS: dict[str, Role] = {
    "citizen": Role.CITIZEN, "borger": Role.CITIZEN, "innbygger": Role.CITIZEN,
    "medborger": Role.CITIZEN, "medborgare": Role.CITIZEN, "invånare": Role.CITIZEN,
    "politician": Role.POLITICIAN, "politiker": Role.POLITICIAN,
    "staff": Role.STAFF, "ansat": Role.STAFF, "ansatt": Role.STAFF, "anställd": Role.STAFF,
    "medarbejder": Role.STAFF, "medarbeider": Role.STAFF, "medarbetare": Role.STAFF,
}
AS_WORDS = frozenset({"as", "som"})


def is_user_id(text: str) -> bool:
    return bool(USER_ID_RE.match(text))


def user_id_problem(t: Translator, text: str, sender: str) -> str | None:
    """None for a well-formed user id; otherwise what is wrong, with the likely intended id.

    The text itself is not repeated: replies show it next to the problem.
    """
    if is_user_id(text):
        return None
    server = sender.split(":", 1)[1] if ":" in sender else "example.org"
    if not text.startswith("@") and is_user_id("@" + text):
        return t._("The @ at the start is missing: did you mean {suggestion}?").format(
            suggestion=escape_markup("@" + text))
    candidate = text if text.startswith("@") else "@" + text
    if ":" not in candidate and is_user_id(f"{candidate.lower()}:{server}"):
        return t._("The server part is missing: did you mean {suggestion}?").format(
            suggestion=escape_markup(f"{candidate.lower()}:{server}"))
    localpart, _, host = candidate.partition(":")
    if is_user_id(f"{localpart.lower()}:{host}"):
        return t._("Matrix user ids are written in small letters: did you mean "
                   "{suggestion}?").format(suggestion=escape_markup(f"{localpart.lower()}:{host}"))
    return t._("This is not a Matrix user id. Write it like @name:example.org.")


@dataclass(frozen=True, slots=True)
class Invitees:
    people: tuple[str, ...]
    role: Role | None


def read_invitees(t: Translator, words: tuple[str, ...]) -> Invitees:
    """Splits ``@a:x @b:x as politician`` into people and one role (``som``/localised words too).

    A role word may also stand alone (``@a:x politiker``). Two different roles in one
    command are refused rather than guessed, since a wrong role skews the reports.
    """
    people: list[str] = []
    roles: set[Role] = set()
    index = 0
    while index < len(words):
        word = words[index]
        folded = word.casefold()
        if folded in AS_WORDS:
            if index + 1 >= len(words):
                raise UsageError(t._("After “{word}”, write the role: citizen, politician or "
                                     "staff.").format(word=escape_markup(word)))
            role_word = words[index + 1]
            role = ROLE_WORDS.get(role_word.casefold())
            if role is None:
                raise UsageError(t._("“{word}” is not a role I know. Choose citizen, politician "
                                     "or staff.").format(word=escape_markup(role_word)))
            roles.add(role)
            index += 2
            continue
        if folded in ROLE_WORDS:
            roles.add(ROLE_WORDS[folded])
        elif word not in people:
            people.append(word)
        index += 1
    if len(roles) > 1:
        raise UsageError(t._("Give one role per command: invite politicians, staff and "
                             "citizens in separate commands."))
    return Invitees(people=tuple(people), role=roles.pop() if roles else None)
