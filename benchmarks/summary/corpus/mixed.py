"""Bilingual salons: Øresund commuters (da/sv) and a community garden in Aarhus (en/da)."""

from __future__ import annotations

from .model import DiscussionScript, KeyPointScript

ORESUND = DiscussionScript(
    name="mix_oresund_pendling",
    languages=("da", "sv"),
    title="Salon om pendling over Øresund",
    place="Kastrup",
    where={"da": "i Kastrup", "sv": "i Kastrup"},
    topic={"da": "pendlingen over broen", "sv": "pendlingen över bron"},
    size=450,
    start="2026-10-21",
    tz="CET",
    key_points=[
        KeyPointScript(
            "kp1", "Øresundstogene er ofte forsinkede eller aflyste, så pendlingen er "
            "upålidelig.", "major",
            paraphrases={
                "da": [
                    "Jeg har været forsinket tre ud af fem dage i denne uge.",
                    "Når toget bliver aflyst i Kastrup, står man bare og venter en halv time.",
                    "Pendlingen er blevet et lotteri – man ved aldrig, om man når hjem til "
                    "aftensmaden.",
                ],
                "sv": [
                    "Tåget över bron var inställt två gånger bara den här veckan.",
                    "Jag kommer för sent till jobbet i Köpenhamn minst en gång i veckan.",
                    "Man kan inte planera något när Öresundstågen är så opålitliga.",
                ],
            },
        ),
        KeyPointScript(
            "kp2", "Forskellige billet- og appsystemer på hver side af sundet er "
            "besværlige.", "major",
            paraphrases={
                "da": [
                    "Jeg skal have både Rejsekort og Skånetrafikens app. Det giver ingen mening.",
                    "Hvorfor kan man ikke bare bruge én billet over broen?",
                    "Periodekortet gælder ikke i Metroen, så jeg betaler dobbelt.",
                ],
                "sv": [
                    "Jag har tre olika appar för en resa på fyrtio minuter.",
                    "Skånetrafiken och DSB borde ha en gemensam biljett.",
                    "Pendlarkortet gäller inte på metron, så man betalar två gånger.",
                ],
            },
        ),
        KeyPointScript(
            "kp3", "Reglerne om skat og sociale ydelser for grænsependlere er uklare.", "medium",
            paraphrases={
                "da": [
                    "Jeg fik to forskellige svar fra Skattestyrelsen om, hvor jeg skal betale "
                    "skat.",
                    "Da jeg blev syg, vidste ingen, om det var dansk eller svensk sygedagpenge.",
                    "Øresunddirekt hjælper, men de har alt for lidt tid.",
                ],
                "sv": [
                    "Ingen kan svara på vilket land jag ska få sjukpenning från.",
                    "Skatteverket och den danska skattemyndigheten säger olika saker, och jag "
                    "får betala för en revisor.",
                    "Föräldrapenningen blev helt fel för att jag jobbar i Danmark.",
                ],
            },
        ),
        KeyPointScript(
            "kp4", "Forslag: en fælles pendlerbillet og automatisk erstatning ved forsinkelser "
            "over 20 minutter.", "medium",
            paraphrases={
                "da": [
                    "Lad os få ét pendlerkort, der gælder hele vejen fra Lund til Nørreport.",
                    "Der burde være automatisk kompensation, når toget er mere end 20 minutter "
                    "forsinket.",
                ],
                "sv": [
                    "Ett gemensamt pendlarkort för hela Öresundsregionen vore drömmen.",
                    "Förseningsersättningen borde komma automatiskt, utan att man måste fylla i "
                    "blanketter.",
                ],
            },
            objections={
                "da": ["En fælles billet lyder godt, men hvem skal betale for den?"],
                "sv": ["Det är inte kommunerna som bestämmer över tågen."],
            },
            item="proposal",
        ),
        KeyPointScript(
            "kp5", "Parkeringen ved Hyllie og Kastrup station er overfyldt.", "minor",
            paraphrases={
                "da": ["Der er aldrig plads på pendlerparkeringen ved Kastrup efter kl. 7.30."],
                "sv": [
                    "Infartsparkeringen i Hyllie är full redan sju på morgonen.",
                    "Det behövs fler cykelparkeringar vid Hyllie station.",
                ],
            },
        ),
        KeyPointScript(
            "kp6", "Kommunerne sender inputtet samlet til Øresundskomiteen, Skånetrafiken og "
            "DSB før næste køreplansskifte.", "minor",
            paraphrases={
                "da": ["@staff Vi samler jeres input og sender det til Øresundskomiteen og DSB "
                       "inden køreplansskiftet i december."],
                "sv": ["@staff Malmö stad tar med synpunkterna till Skånetrafiken inför "
                       "tidtabellsskiftet."],
            },
            item="action",
            late=True,
        ),
    ],
    chatter={
        "da": [
            "Jeg har pendlet over broen i ti år",
            "Broen er smuk, når solen går ned",
            "Jeg bor i Malmø, men arbejder på Rigshospitalet",
            "Der er mange svenskere på min arbejdsplads",
        ],
        "sv": [
            "Jag har pendlat sedan bron öppnade",
            "Det är fint att både danskar och svenskar är med ikväll",
            "Jag förstår danska om ni skriver långsamt 😄",
            "Min chef är dansk och väldigt förstående",
        ],
    },
    reference_summary=(
        "Pendlerne oplever, at Øresundstogene ofte er forsinkede eller aflyste, så pendlingen er "
        "upålidelig. Forskellige billet- og appsystemer på hver side af sundet er besværlige, og "
        "reglerne om skat og sociale ydelser for grænsependlere er uklare. Deltagerne foreslår "
        "en fælles pendlerbillet og automatisk erstatning ved forsinkelser over 20 minutter. "
        "Parkeringen ved Hyllie og Kastrup station er overfyldt. Kommunerne sender inputtet "
        "samlet til Øresundskomiteen, Skånetrafiken og DSB før næste køreplansskifte."
    ),
)

AARHUS = DiscussionScript(
    name="mix_aarhus_faelleshave",
    languages=("en", "da"),
    title="Salon on a community garden on Aarhus Ø",
    place="Aarhus Ø",
    where={"en": "on Aarhus Ø", "da": "på Aarhus Ø"},
    topic={"en": "the community garden", "da": "fælleshaven"},
    size=180,
    start="2026-09-08",
    tz="CET",
    key_points=[
        KeyPointScript(
            "kp1", "Residents want the empty lot to become a community garden rather than a car "
            "park.", "major",
            paraphrases={
                "en": [
                    "The empty lot by the water would be perfect for a community garden.",
                    "We don't need another car park, we need green space where people meet.",
                    "A shared garden would finally give the neighbourhood a heart.",
                ],
                "da": [
                    "Den tomme grund bør blive en fælleshave, ikke en parkeringsplads.",
                    "Vi har masser af beton herude. En have ville gøre en kæmpe forskel.",
                ],
            },
        ),
        KeyPointScript(
            "kp2", "A garden can bring international and Danish neighbours together; language "
            "is a barrier today.", "major",
            paraphrases={
                "en": [
                    "I've lived here two years and I don't know a single Danish neighbour. "
                    "Gardening together would change that.",
                    "Many internationals feel left out because everything in the residents' "
                    "association happens in Danish.",
                ],
                "da": [
                    "Vi kender ikke vores internationale naboer. Haven kunne være stedet, hvor vi "
                    "mødes.",
                    "Grundejerforeningens møder er kun på dansk, så de internationale kommer "
                    "ikke.",
                ],
            },
        ),
        KeyPointScript(
            "kp3", "Wind and salt from the harbour make raised beds and shelter "
            "necessary.", "medium",
            paraphrases={
                "en": [
                    "It's incredibly windy on the quay – we'd need shelter and raised beds.",
                    "Salt spray will kill most vegetables unless there's a windbreak.",
                ],
                "da": ["Det blæser voldsomt herude, så der skal læhegn og højbede til."],
            },
        ),
        KeyPointScript(
            "kp4", "Proposal: an association with bilingual meetings, a shared tool shed and a "
            "watering rota.", "medium",
            paraphrases={
                "en": [
                    "Let's set up an association and hold meetings in both English and Danish.",
                    "A shared tool shed and a rota for watering would keep it going in the "
                    "summer holidays.",
                ],
                "da": [
                    "Vi kan lave en forening med møder på både dansk og engelsk.",
                    "Et fælles redskabsskur og en vandingsplan, så haven ikke dør i sommerferien.",
                ],
            },
            item="proposal",
        ),
        KeyPointScript(
            "kp5", "Some worry the garden is only temporary until the lot is built on.", "minor",
            paraphrases={
                "en": ["Is there any point if the developer builds there in three years?"],
                "da": ["Jeg er bange for, at det kun er midlertidigt, indtil grunden bliver "
                       "solgt."],
            },
        ),
        KeyPointScript(
            "kp6", "The municipality can offer a five-year temporary use agreement and 50,000 "
            "kroner from the neighbourhood fund.", "minor",
            paraphrases={
                "da": ["@staff Kommunen kan give en midlertidig brugsaftale på fem år og "
                       "50.000 kr. fra områdepuljen."],
                "en": ["@staff We can offer a five-year temporary use agreement, and you can "
                       "apply for 50,000 kroner from the neighbourhood fund."],
            },
            item="action",
            late=True,
        ),
    ],
    chatter={
        "en": [
            "I'm from Lisbon, so I'm still getting used to the wind 😄",
            "The view over the bay is incredible",
            "My kids go to the international school nearby",
        ],
        "da": [
            "Jeg flyttede herud, da de første huse blev bygget",
            "Der er kommet mange nye caféer",
            "Det er dejligt at se så mange forskellige mennesker i aften",
        ],
    },
    reference_summary=(
        "Residents want the empty lot on Aarhus Ø to become a community garden rather than a car "
        "park, and see it as a way to bring international and Danish neighbours together, since "
        "language is a barrier today. Wind and salt make raised beds and shelter necessary. "
        "Participants propose an association with bilingual meetings, a shared tool shed and a "
        "watering rota. Some worry the garden will only be temporary until the lot is built on. "
        "The municipality can offer a five-year temporary use agreement and 50,000 kroner from "
        "the neighbourhood fund."
    ),
)

DISCUSSIONS = [ORESUND, AARHUS]
