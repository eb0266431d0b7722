"""The hand-written scripts behind the summariser evaluation set."""

from __future__ import annotations

from . import da, en, mixed, nb, sv
from .model import DiscussionScript, KeyPointScript
from .noise import NOISE

DISCUSSIONS: list[DiscussionScript] = [
    *da.DISCUSSIONS,
    *nb.DISCUSSIONS,
    *sv.DISCUSSIONS,
    *en.DISCUSSIONS,
    *mixed.DISCUSSIONS,
]

__all__ = ["DISCUSSIONS", "NOISE", "DiscussionScript", "KeyPointScript"]
