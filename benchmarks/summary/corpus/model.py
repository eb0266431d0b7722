"""Hand-written discussion scripts: the data the generator turns into chat logs.

A script lists what a salon is *about* (key points, each with several hand-written ways people
say it) and what it is *not* about (chatter that uses the same words). The generator only mixes
and orders these texts, so the gold annotation is exact by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Texts = dict[str, list[str]]


def per_lang(texts: list[str] | Texts | None, lang: str) -> Texts:
    """Accept a plain list for one-language scripts so they stay short to write."""
    if texts is None:
        return {}
    if isinstance(texts, dict):
        return texts
    return {lang: list(texts)}


@dataclass(frozen=True)
class KeyPointScript:
    """One annotated key point.

    `paraphrases` are restatements by different people; a leading "@staff " or "@politician "
    restricts who can say it (municipal facts and promises). `objections` and `questions` are
    on-topic replies that push back or ask, but do not themselves state the point.
    """

    id: str
    text: str
    salience: str
    paraphrases: Texts
    objections: Texts = field(default_factory=dict)
    questions: Texts = field(default_factory=dict)
    item: str | None = None
    counter: str | None = None
    late: bool = False


@dataclass(frozen=True)
class DiscussionScript:
    """One salon: its key points, topic chatter and the reference summary a host would write."""

    name: str
    languages: tuple[str, ...]
    title: str
    place: str
    where: dict[str, str]
    topic: dict[str, str]
    size: int
    start: str
    tz: str
    key_points: list[KeyPointScript]
    chatter: Texts
    reference_summary: str

    @property
    def language(self) -> str:
        """Gold language label: the language, or "mixed" for bilingual salons."""
        return self.languages[0] if len(self.languages) == 1 else "mixed"


def kp(
    id: str,
    text: str,
    salience: str,
    paraphrases: list[str] | Texts,
    *,
    lang: str,
    objections: list[str] | Texts | None = None,
    questions: list[str] | Texts | None = None,
    item: str | None = None,
    counter: str | None = None,
    late: bool = False,
) -> KeyPointScript:
    """Build a KeyPointScript from one-language lists or per-language dicts."""
    return KeyPointScript(
        id=id,
        text=text,
        salience=salience,
        paraphrases=per_lang(paraphrases, lang),
        objections=per_lang(objections, lang),
        questions=per_lang(questions, lang),
        item=item,
        counter=counter,
        late=late,
    )
