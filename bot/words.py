"""How the schema's values read in every language: a person's role, an outcome's kind and
status, counts by role. One place for the handlers, the final report and the exports, so a
case worker reads the same word in the staff room, the report and the spreadsheet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from babel.lists import format_list

from bot.db import OutcomeKind, OutcomeStatus, Role
from bot.i18n import N_, Translator

ROLE_NAMES: Final = {
    Role.CITIZEN.value: N_("citizen"),
    Role.POLITICIAN.value: N_("politician"),
    Role.STAFF.value: N_("staff"),
}
KIND_NAMES: Final = {
    OutcomeKind.PROPOSAL.value: N_("proposal"),
    OutcomeKind.RECOMMENDATION.value: N_("recommendation"),
    OutcomeKind.QUESTION.value: N_("question"),
}
#: How the salon and the staff read an outcome's status.
STATUS_NAMES: Final = {
    OutcomeStatus.SUBMITTED.value: N_("sent, waiting for the municipality"),
    OutcomeStatus.RECEIVED.value: N_("received by the municipality"),
    OutcomeStatus.IN_PROGRESS.value: N_("being worked on"),
    OutcomeStatus.ANSWERED.value: N_("answered"),
    OutcomeStatus.DECLINED.value: N_("declined"),
}


def role_name(t: Translator, role: str) -> str:
    return t._(ROLE_NAMES.get(role, ROLE_NAMES[Role.CITIZEN.value]))


def kind_name(t: Translator, kind: str) -> str:
    return t._(KIND_NAMES.get(kind, KIND_NAMES[OutcomeKind.PROPOSAL.value]))


def status_name(t: Translator, status: str) -> str:
    return t._(STATUS_NAMES.get(status, STATUS_NAMES[OutcomeStatus.SUBMITTED.value]))


def role_counts(t: Translator, by_role: Mapping[str, int]) -> str:
    """``2 citizens, 1 politician and 1 staff member`` in the reader's language; empty for
    nobody. An unknown role counts as a citizen."""
    counts = {role: 0 for role in ROLE_NAMES}
    for role, n in by_role.items():
        counts[role if role in counts else Role.CITIZEN.value] += n
    parts = []
    if counts[Role.CITIZEN.value]:
        n = counts[Role.CITIZEN.value]
        parts.append(t.ngettext("{n} citizen", "{n} citizens", n).format(n=n))
    if counts[Role.POLITICIAN.value]:
        n = counts[Role.POLITICIAN.value]
        parts.append(t.ngettext("{n} politician", "{n} politicians", n).format(n=n))
    if counts[Role.STAFF.value]:
        n = counts[Role.STAFF.value]
        parts.append(t.ngettext("{n} staff member", "{n} staff members", n).format(n=n))
    return format_list(parts, locale=t.locale) if parts else ""
