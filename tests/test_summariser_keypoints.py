"""Key points as staff read them: promises first-class, each point once, no chatter, clean text.

Each test builds a small salon that isolates one behaviour of the key-point pipeline
(bot/summariser/keypoints.py) or of the discourse cues it relies on (bot/summariser/cues.py).
"""

from __future__ import annotations

import pytest
from summariser_helpers import msg

from bot.summariser import KeyPoint, Message, cues, summarise
from bot.summariser import text as tx


def point_of(points: list[KeyPoint], message_id: str) -> int | None:
    """Rank (0-based) of the key point citing `message_id`, or None."""
    for rank, point in enumerate(points):
        if message_id in point.message_ids:
            return rank
    return None


def chatter(start: int, count: int) -> list[Message]:
    """Greetings, jokes, weather and the odd aside, from many people."""
    lines = [
        "Hej alle sammen!", "haha den var god 😂", "Sikke et vejr i dag, jeg blev helt våd",
        "Kan I høre mig nu?", "Er der nogen, der så håndbold i går?", "Tak for kaffen ☕",
        "Min kat sidder også og lytter med", "Jeg har lige været i sommerhus, det var skønt",
        "Hvem har bagt kagen? Den er fantastisk", "Godaften fra sofaen",
    ]
    return [
        msg(f"c{start + i}", f"snak{i % 7}", lines[i % len(lines)], start + i)
        for i in range(count)
    ]


def school_road_salon() -> list[Message]:
    """Citizens on a school road: bike path, speed, parking and lights, stated several times in
    different words, with reactions, amid chatter."""
    points = [
        ("bike", [
            "Der mangler en sikker cykelsti langs Skolevej, børnene cykler mellem bilerne.",
            "Børnene på Skolevej har brug for en rigtig cykelsti, det er farligt i dag.",
            "En adskilt cykelsti på Skolevej ville gøre skolevejen tryg for de små.",
        ]),
        ("speed", [
            "Bilerne kører alt for stærkt forbi skolen, vi har brug for vejbump.",
            "Farten ved skolen er vanvittig, der skal bump og 30 km/t på strækningen.",
            "Hastigheden forbi skolen skal ned, ellers sker der en ulykke.",
        ]),
        ("parking", [
            "Forældrene parkerer i krydset ved hallen, så man ikke kan se børnene.",
            "Der holder biler i krydset ved hallen hver morgen og spærrer udsynet.",
        ]),
        ("light", [
            "Stien bag skolen er helt mørk om vinteren, der skal lamper op.",
            "Der mangler belysning på stien bag skolen, det er utrygt i december.",
        ]),
    ]
    messages: list[Message] = []
    minute = 0
    for topic, texts in points:
        for n, text in enumerate(texts):
            messages.append(msg(f"{topic}{n}", f"{topic}-person{n}", text, minute,
                                reactions={"👍": 3} if n == 0 else {"👍": 1}))
            minute += 2
    return messages + chatter(100, 30)


# --- promises and decisions --------------------------------------------------------------


def test_an_action_by_staff_repeated_four_times_ranks_in_the_top_five_amid_chatter() -> None:
    staff = [
        msg("a1", "kommune1", "Vi tager forslaget om cykelstien med til teknisk udvalg i marts.",
            60, role="staff", item="action"),
        msg("a2", "kommune2", "Forvaltningen laver en trafiktælling på Skolevej i februar, så "
            "udvalget har tal i marts.", 70, role="staff"),
        msg("a3", "kommune1", "Vi tager forslaget om cykelstien med til teknisk udvalg i marts.",
            80, role="staff"),
        msg("a4", "kommune2", "Forvaltningen laver en trafiktælling på Skolevej i februar, så "
            "udvalget har tal i marts.", 90, role="staff"),
    ]
    summary = summarise(school_road_salon() + staff, points=10)
    rank = point_of(summary.key_points, "a1")
    assert rank is not None and rank < 5, [p.text for p in summary.key_points]
    promise = summary.key_points[rank]
    assert promise.message_ids[0] in {"a1", "a2", "a3", "a4"}  # shown through the promise
    assert {"a1", "a2", "a3", "a4"} <= set(promise.message_ids)  # one outcome, not four
    # the promise stays a point of its own: it is not folded into the citizens' bike path
    assert not {"bike0", "bike1", "bike2"} & set(promise.message_ids)


def test_commitment_wording_is_recognised_in_every_language() -> None:
    for text in (
        "Vi tager det med til udvalget i januar.", "Jeg kan love, at sagen kommer op igen.",
        "Vi evaluerer endringene etter tre måneder.", "Jeg skal sørge for at saken kommer opp.",
        "Samrådstiden förlängs till den 31 januari.", "Vi återkommer med skisser i mars.",
        "We'll translate the guide by February.", "I'll take it to the committee.",
    ):
        assert cues.is_commitment(text), text
    for text in ("Bussen kører for sjældent om aftenen.", "The ferry is always late."):
        assert not cues.is_commitment(text), text


def test_a_citizen_saying_a_date_is_no_commitment_but_an_action_item_is() -> None:
    messages = [
        msg("x", "borger", "Vi tager forslaget med til udvalget i januar, håber jeg.", 0),
        msg("y", "borger2", "Lad os samle underskrifter for cykelstien på Skolevej.", 1,
            item="action"),
    ]
    summary = summarise(messages, points=2)
    assert [p.message_ids[0] for p in summary.key_points] == ["y", "x"]


# --- the same point once ---------------------------------------------------------------------


def test_a_paraphrase_posted_as_an_agreeing_reply_joins_the_point_it_restates() -> None:
    """Two wordings with no word in common; the reply thread says they are one point."""
    messages = school_road_salon() + [
        msg("p1", "anna", "Lukningen af filialen rammer de ældre, som ikke selv kan køre.", 50,
            reactions={"👍": 4}),
        msg("p2", "bo", "Enig med anna. Pensionister uden bil mister deres eneste mødested.", 51,
            reply_to="p1", reactions={"👍": 2}),
    ]
    summary = summarise(messages, points=8)
    rank = point_of(summary.key_points, "p1")
    assert rank is not None
    assert "p2" in summary.key_points[rank].message_ids
    assert sum(1 for p in summary.key_points if {"p1", "p2"} & set(p.message_ids)) == 1


def test_a_point_asked_about_the_same_way_twice_is_one_point() -> None:
    """Shared reply threads: the same two questions put to two wordings of one proposal."""
    messages = school_road_salon() + [
        msg("s1", "anna", "Lad os åbne et fællesværksted i den gamle brandstation.", 50,
            reactions={"👍": 3}),
        msg("s2", "bo", "Den tomme brandstation kunne blive et værksted, hvor alle kan reparere "
            "cykler.", 60, reactions={"👍": 2}),
        msg("q1", "carl", "Hvem skal betale for husleje og værktøj?", 52, reply_to="s1"),
        msg("q2", "dina", "Hvem skal betale for husleje og værktøj?", 62, reply_to="s2"),
        msg("q3", "emil", "Hvor mange timer om ugen skulle det holde åbent?", 53, reply_to="s1"),
        msg("q4", "fie", "Hvor mange timer om ugen skulle det holde åbent?", 63, reply_to="s2"),
    ]
    summary = summarise(messages, points=8)
    ranks = {point_of(summary.key_points, "s1"), point_of(summary.key_points, "s2")}
    assert len(ranks) == 1 and None not in ranks


# --- a flood of one point ------------------------------------------------------------------

OTHER_POINTS = (
    ("o0", "Biblioteket burde holde åbent om søndagen, så børnefamilier kan komme."),
    ("o1", "Der mangler bænke og skraldespande på legepladsen i parken ved søen."),
    ("o2", "Bussen til hospitalet kører kun hver time om aftenen, det er for sjældent."),
    ("o3", "Kommunen bør plante flere træer på torvet, der er ingen skygge om sommeren."),
    ("o4", "Svømmehallen trænger til nye omklædningsrum, de gamle er nedslidte og kolde."),
    ("o5", "Genbrugsstationen burde have åbent om lørdagen, når folk har fri."),
)


@pytest.mark.parametrize("points", [5, 7])
def test_a_flood_of_one_point_leaves_room_for_the_others(points: int) -> None:
    """600 people paste the same demand (liked, so it ranks first); six other points are made
    once each. The flood is one point and the rest of the list is the other points."""
    wordings = (
        "Cykelstien langs Skolevej skal bygges nu, børnene er i fare hver morgen.",
        "Byg cykelstien langs Skolevej nu, børnene er i fare hver eneste morgen.",
    )
    flood = [msg(f"f{i}", f"nabo{i}", wordings[i % 2], i, reactions={"👍": 2})
             for i in range(600)]
    others = [msg(ident, f"borger{n}", text, 500 + n)
              for n, (ident, text) in enumerate(OTHER_POINTS)]
    summary = summarise(flood + others, points=points)
    assert len(summary.key_points) == points
    firsts = [point.message_ids[0] for point in summary.key_points]
    assert firsts[0].startswith("f") and summary.key_points[0].count == 600
    assert sum(first.startswith("f") for first in firsts) == 1, firsts
    assert set(firsts[1:]) <= {ident for ident, _ in OTHER_POINTS}


# --- chatter -------------------------------------------------------------------------------


def test_a_word_for_word_repeated_anecdote_does_not_outrank_a_real_point() -> None:
    """Twelve people paste the same anecdote; four points are each made by two or three
    people in different words. Pasting is weaker evidence than paraphrase."""
    anecdote = [
        msg(f"n{i}", f"gæst{i}", "Jeg flyttede hertil fra Odense for fem år siden.", 40 + i)
        for i in range(12)
    ]
    summary = summarise(school_road_salon() + anecdote, points=5)
    anecdote_rank = point_of(summary.key_points, "n0")
    for first in ("bike0", "speed0", "parking0", "light0"):
        rank = point_of(summary.key_points, first)
        assert rank is not None, first
        assert anecdote_rank is None or rank < anecdote_rank, [p.text for p in summary.key_points]


def test_an_aside_that_drew_reactions_stays_below_the_points() -> None:
    """Off-topic: no other message uses its words, however much it was liked."""
    aside = msg("o", "gæst", "Har nogen prøvet det nye pizzeria ved stationen? Deres calzoner "
                "er fantastiske.", 40, reactions={"👍": 3, "❤️": 2})
    summary = summarise([*school_road_salon(), aside], points=4)
    assert point_of(summary.key_points, "o") is None, [p.text for p in summary.key_points]


# --- opposing positions -------------------------------------------------------------------


def test_a_disagreeing_reply_is_not_counted_as_support() -> None:
    messages = school_road_salon() + [
        msg("l1", "anna", "Vi bør lukke Skolevej for biler om morgenen mellem 7.30 og 8.15.", 50,
            reactions={"👍": 2}),
        msg("l2", "bo", "Nej, lukker man Skolevej om morgenen, kører bilerne bare ad Parkvej.",
            51, reply_to="l1"),
        msg("l3", "carl", "Men at lukke Skolevej om morgenen flytter bare bilerne til Parkvej.",
            52, reply_to="l1"),
        msg("l4", "dina", "I disagree, closing Skolevej in the morning just moves the cars.", 53,
            reply_to="l1"),
    ]
    summary = summarise(messages, points=8)
    for point in summary.key_points:
        if "l1" in point.message_ids:
            assert not {"l2", "l3", "l4"} & set(point.message_ids)
    assert tx.stance("Men det flytter bare problemet.") == -1
    assert tx.stance("But that just moves the traffic.") == -1
    assert tx.stance("Tvärtom, det blir farligare.") == -1


def test_a_negated_agreement_word_is_no_agreement() -> None:
    assert tx.stance("Ängen är ju mest gräs, det är inte precis orörd natur.") == 0
    assert tx.stance("Det er ikke præcis det, jeg mente.") == 0
    assert tx.stance("Præcis, det er det vigtigste.") == 1


@pytest.mark.parametrize(("reply", "expected"), [
    # emphasis before a "no" refuses
    ("Absolut ikke!", -1), ("Helt klart nej.", -1), ("Absolutt ikke.", -1),
    ("Absolut inte!", -1), ("Absolutely not.", -1), ("Definitely not", -1),
    # negated opposition backs the point
    ("Jeg er ikke imod det.", 1), ("Ikke imod.", 1), ("Jeg er ikke uenig.", 1),
    ("Det er jeg ikke uenig i.", 1), ("Eg er ikkje imot det.", 1), ("Jag är inte emot det.", 1),
    ("Jag har inget emot det.", 1), ("Not against it.", 1), ("I don't disagree.", 1),
    ("Jeg har intet imod det.", 1),
    # a negated agreement verb disagrees, a negated adverb only hedges
    ("Jeg er ikke helt enig.", -1), ("Jeg støtter ikke forslaget.", -1),
    ("I don't support that.", -1), ("Det skal absolut ikke lukkes om morgenen.", 0),
    # what already worked stays
    ("Absolut, det er det vigtigste.", 1), ("Nej, det flytter bare problemet.", -1),
    ("No, I'm against it.", -1), ("Jeg er ikke sikker, men jeg er imod det.", -1),
    # phones type a curly apostrophe
    ("I don’t agree.", -1), ("I can’t support that.", -1), ("I don’t disagree.", 1),
    # "but" argues unless the reply goes on to agree
    ("Men jeg er helt enig.", 1), ("But I agree.", 1), ("Men ja, godt forslag.", 1),
    ("Men jeg er ikke enig.", -1), ("However, the bus is late.", -1),
])
def test_negation_scope_decides_the_stance(reply: str, expected: int) -> None:
    assert tx.stance(reply) == expected


@pytest.mark.parametrize(("reply", "agreed"), [
    ("Absolut ikke!", False), ("Helt klart nej", False), ("Absolutely not.", False),
    ("Jeg er ikke imod det.", True), ("Jag är inte emot det.", True), ("Not against it.", True),
    ("Jeg er ikke uenig.", True),
])
def test_a_negated_reply_counts_on_the_right_side(reply: str, agreed: bool) -> None:
    messages = [
        msg("p", "anna", "Torvet skal lukkes for alle biler hele året rundt.", 0),
        msg("r", "bo", reply, 1, reply_to="p"),
        msg("s", "carl", "+1", 2, reply_to="p"),
    ]
    summary = summarise(messages)
    backed = [stance.message_ids[0] for stance in summary.agreements]
    contested = {stance.message_ids[0]: stance for stance in summary.disagreements}
    if agreed:
        assert backed == ["p"] and summary.agreements[0].support == 2, reply
        assert contested == {}, reply
    else:
        assert backed == [], reply
        assert contested["p"].objection == 1 and contested["p"].support == 1, reply
        assert "r" in contested["p"].message_ids


def test_a_point_the_room_backed_is_not_merged_with_a_similar_one_it_objected_to() -> None:
    messages = [
        msg("b", "anna", "Skolevej skal have en cykelsti om morgenen, når børnene cykler.", 0,
            reactions={"👍": 6}),
        msg("b2", "bo", "Helt enig!", 1, reply_to="b"),
        msg("c", "carl", "Skolevej skal lukkes for biler om morgenen, når børnene cykler.", 2,
            reactions={"👎": 3}),
        msg("c2", "dina", "Det er jeg uenig i.", 3, reply_to="c"),
    ]
    summary = summarise(messages, points=3)
    assert point_of(summary.key_points, "b") != point_of(summary.key_points, "c")


# --- how a point is shown -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Som jeg skrev tidligere: Vi mangler en cykelsti langs Ringvejen. Det skal med i "
         "referatet.", "Vi mangler en cykelsti langs Ringvejen."),
        ("Helt enig – der skal lys på stien bag skolen.", "Der skal lys på stien bag skolen."),
        ("Enig med deltager-22. Bussen kører for sjældent om aftenen.",
         "Bussen kører for sjældent om aftenen."),
        ("Ja, og så: Siste buss hjem går 21.30 nå. Synes jeg i hvert fall.",
         "Siste buss hjem går 21.30 nå."),
        ("Håller med Anna. Ängen tar hand om regnvattnet. Det borde kommunen ta på allvar.",
         "Ängen tar hand om regnvattnet."),
        ("same thinking here. The first boat leaves too late for school. Please put that in "
         "the notes.", "The first boat leaves too late for school."),
        ("As I said earlier: the key thing for me: ferry fares cost families a fortune.",
         "Ferry fares cost families a fortune."),
        ("gör flytten i etapper, en avdelning i taget.", "Gör flytten i etapper, en avdelning i "
         "taget."),
    ],
)
def test_filler_is_stripped_from_the_displayed_text(written: str, shown: str) -> None:
    summary = summarise([msg("m", "anna", written, 0)], points=1)
    assert summary.key_points[0].text == shown


def test_filler_stripping_keeps_what_carries_the_point() -> None:
    # a leading clause with a topic is the point, not filler
    assert cues.core("Hvis filialen lukker, mister byen sit mødested.") == (
        "Hvis filialen lukker, mister byen sit mødested."
    )
    # a message that is all filler stays as it is rather than becoming empty
    assert cues.core("Helt enig – godt sagt.") == "Helt enig – godt sagt."
    assert cues.core("Det skal med i referatet.") == "Det skal med i referatet."
    # a closing sentence with content stays
    assert cues.core("Bussen er for sjælden. Den kører kun hver time.") == (
        "Bussen er for sjælden. Den kører kun hver time."
    )
    assert cues.capitalise("iPhone-appen virker ikke") == "iPhone-appen virker ikke"
    assert cues.capitalise("«gratis parkering» er vigtigt") == "«Gratis parkering» er vigtigt"


def test_a_point_is_shown_in_the_salons_dominant_language() -> None:
    messages = [
        msg("s", "sven", "Vi behöver fler bänkar i parken vid sjön, det finns ingenstans att "
            "sitta.", 0, reactions={"👍": 8, "❤️": 3}),
        msg("d", "dorte", "Helt enig – der mangler bænke i parken ved søen, man kan ikke sidde "
            "nogen steder.", 1, reply_to="s"),
        msg("d2", "ditte", "Biblioteket burde holde åbent om søndagen for børnefamilierne.", 2),
        msg("d3", "dan", "Bussen til hospitalet kører kun hver time om aftenen, det er for "
            "sjældent.", 3),
        msg("d4", "dagmar", "Der mangler en fodgængerovergang ved Brugsen på Hovedgaden.", 4),
    ]
    summary = summarise(messages, lang="da", points=4)
    assert summary.lang == "da"
    bench = summary.key_points[point_of(summary.key_points, "s") or 0]
    assert {"s", "d"} <= set(bench.message_ids)
    assert bench.message_ids[0] == "d"
    assert bench.text.startswith("Der mangler bænke i parken ved søen")
