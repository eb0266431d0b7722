"""Norwegian (bokmål) salons: a wind turbine, rural bus routes and a youth club."""

from __future__ import annotations

from .model import DiscussionScript, kp

L = "nb"

STORAASEN = DiscussionScript(
    name="nb_storaasen_vindturbin",
    languages=(L,),
    title="Salong om vindturbinen på Storåsen",
    place="Hemne",
    where={L: "i Hemne"},
    topic={L: "vindturbinen"},
    size=1500,
    start="2026-09-22",
    tz="CET",
    key_points=[
        kp("kp1", "Mange er imot fordi turbinen vil ødelegge utsikten og turterrenget på "
           "Storåsen.", "major", [
               "Storåsen er turterrenget vårt. En 200 meter høy turbin på toppen ødelegger hele "
               "opplevelsen.",
               "Jeg går på Storåsen hver søndag. Det blir ikke det samme med maskinstøy og "
               "anleggsvei.",
               "Utsikten fra fjorden mot åsen er det fineste vi har – den blir borte.",
               "Folk flytter hit for naturen, ikke for å se på vindturbiner.",
               "Det er snakk om en vei på fire kilometer gjennom myra for å bygge den.",
           ], lang=L,
           objections=["Turterrenget blir jo ikke borte, det står bare en turbin der."]),
        kp("kp2", "De nærmeste naboene, særlig på Nordgården, er bekymret for støy og "
           "skyggekast.", "major", [
               "Vi bor 700 meter unna. Skyggekastet vil treffe stua vår hver ettermiddag om "
               "vinteren.",
               "Lavfrekvent støy om natta er det jeg er mest redd for.",
               "Nordgården og husene langs Sagveien får både blinking og dur.",
               "Hvem har målt støyen ved boligene? Vi vil se tallene.",
           ], lang=L,
           objections=["Moderne turbiner støyer mye mindre enn folk tror."]),
        kp("kp3", "Tilhengerne peker på inntektene: eiendomsskatt og et bygdefond på rundt to "
           "millioner kroner i året.", "major", [
               "Kommunen kan få rundt to millioner i året i eiendomsskatt. Det er en lærerstilling "
               "eller to.",
               "Utbyggeren tilbyr et bygdefond. Det kunne betale for ny gymsal.",
               "Vi trenger inntektene. Skolen og sykehjemmet koster, og pengene må komme fra et "
               "sted.",
               "To millioner årlig til lokalsamfunnet er ikke småtterier.",
           ], lang=L, counter="kp1",
           objections=["Penger er penger, men naturen får vi aldri tilbake."],
           questions=["Hvor mye av pengene blir faktisk igjen i bygda?"]),
        kp("kp4", "Forslag: rådgivende folkeavstemning før kommunen gir sin uttalelse til "
           "konsesjonen.", "medium", [
               "La innbyggerne stemme over det før kommunestyret sier ja.",
               "Jeg foreslår en rådgivende folkeavstemning, så vet vi hva folk faktisk mener.",
               "Dette er for stort til at kommunestyret skal avgjøre alene. Ta det til folket.",
           ], lang=L, item="proposal",
           objections=["Folkeavstemning om alt gjør politikerne overflødige."]),
        kp("kp5", "Det hekker hubro i lia, og det går fugletrekk over åsen.", "medium", [
               "Det hekker hubro i lia rett under der turbinen skal stå.",
               "Fuglefolket har registrert havørn og trekkfugler over åsen hvert år.",
               "Turbinbladene dreper fugl, særlig rovfugl. Det er dokumentert flere steder.",
           ], lang=L,
           questions=["Er det gjort en fugleregistrering som ikke er betalt av utbyggeren?"]),
        kp("kp6", "Kommunen og utbyggeren har informert for dårlig og for sent.", "medium", [
               "Vi fikk vite om planene gjennom Facebook, ikke fra kommunen.",
               "Informasjonsmøtet var midt i fellesferien. Det oppleves som bevisst.",
               "Utbyggeren har ikke svart på et eneste av spørsmålene vi sendte i vår.",
           ], lang=L),
        kp("kp7", "Et kompromiss kan være én lavere turbin lenger fra husene, eller solceller "
           "på industritakene i stedet.", "minor", [
               "Hva om de flytter den lenger inn, bort fra husene, og gjør den lavere?",
               "Solceller på taket av fabrikkhallene gir strøm uten å ta naturen.",
               "Et kompromiss kunne være en mindre turbin ved industriområdet i stedet for på "
               "toppen.",
           ], lang=L, item="idea"),
        kp("kp8", "Kommunen ber NVE om en uavhengig utredning av støy og skyggekast før "
           "høringsfristen.", "minor", [
               "@staff Vi har bedt NVE om en uavhengig utredning av støy og skyggekast før "
               "høringsfristen går ut.",
               "@politician Jeg skal sørge for at formannskapet krever en uavhengig "
               "støyutredning før vi uttaler oss.",
           ], lang=L, item="action", late=True,
           questions=["Når er høringsfristen?"]),
    ],
    chatter={L: [
        "Jeg har gått på Storåsen siden jeg var liten",
        "Faren min jobbet på sagbruket nedenfor åsen",
        "Dette er den største saken i bygda på lenge",
        "Avisa har skrevet om turbinen hver uke i høst",
        "Strømprisene har vært helt ville i år",
        "Vi hadde et folkemøte om dette i grendehuset også",
        "Jeg skjønner at folk er engasjerte",
        "Hvem eier egentlig grunnen der oppe?",
        "Utbyggeren er fra Oslo, så vidt jeg vet",
        "Det blåser i alle fall nok her",
        "Jeg har ikke bestemt meg ennå, jeg vil høre argumentene",
    ]},
    reference_summary=(
        "Mange er imot vindturbinen fordi den vil ødelegge utsikten og turterrenget på "
        "Storåsen, og naboene på Nordgården frykter støy og skyggekast. Det hekker hubro i lia, "
        "og det går fugletrekk over åsen. Tilhengerne viser til eiendomsskatt og et bygdefond på "
        "rundt to millioner kroner i året. Mange mener kommunen og utbyggeren har informert for "
        "dårlig og for sent, og flere foreslår en rådgivende folkeavstemning. Et mulig "
        "kompromiss er en lavere turbin lenger fra husene eller solceller på industritakene. "
        "Kommunen ber NVE om en uavhengig utredning av støy og skyggekast før høringsfristen."
    ),
)

KVALOYA = DiscussionScript(
    name="nb_kvaloya_bussruter",
    languages=(L,),
    title="Salong om de nye bussrutene på Kvaløya",
    place="Kvaløya",
    where={L: "på Kvaløya"},
    topic={L: "de nye bussrutene"},
    size=300,
    start="2026-11-03",
    tz="CET",
    key_points=[
        kp("kp1", "De nye rutetidene passer ikke med skolestart og arbeidstid; den første "
           "bussen kommer for sent.", "major", [
               "Første buss fra Kvaløya er i sentrum 08.10. Da har skolen allerede begynt.",
               "Med den nye ruteplanen kommer jeg for sent på jobb på UNN hver dag.",
               "Rutene er lagt opp etter turistene, ikke etter oss som skal på jobb og skole.",
               "Bussen kl. 07.15 er fjernet. Den var den viktigste avgangen vi hadde.",
           ], lang=L),
        kp("kp2", "Kveldsavgangene er kuttet, så ungdom og skiftarbeidere blir "
           "strandet.", "major", [
               "Siste buss hjem går 21.30 nå. Ungdommen kommer seg ikke hjem fra trening.",
               "Jeg jobber turnus og slutter 22.45. Nå må jeg ta taxi til 500 kroner.",
               "Uten kveldsbuss blir det foreldretaxi igjen, stikk i strid med klimamålene.",
           ], lang=L,
           objections=["Bussene om kvelden gikk nesten tomme, det må vi også være ærlige om."]),
        kp("kp3", "Forslag: bestillingstransport på kveldstid for de ytre områdene.", "medium", [
               "Hva med en bestillingsbuss på kvelden, slik de har i Balsfjord?",
               "En tilkallingsbuss du bestiller i appen en time før ville løst mye.",
               "Vi trenger ikke en stor buss klokka 23, bare en minibuss man kan bestille.",
           ], lang=L, item="proposal",
           objections=["Bestillingsbuss fungerer dårlig for eldre som ikke bruker app."],
           questions=["Hva koster en slik bestillingsordning?"]),
        kp("kp4", "Busstoppet ved Kaldfjord mangler leskur og lys i mørketida.", "medium", [
               "Ved Kaldfjord står ungene i mørket og vinden uten leskur.",
               "I mørketida ser sjåføren knapt barna ved stoppet – det må være lys der.",
               "Et leskur ved Kaldfjord-stoppet har vi bedt om i fem år.",
           ], lang=L),
        kp("kp5", "Overgangen til bybussen i sentrum er for stram.", "minor", [
               "Det er to minutter fra regionbussen kommer til bybussen går. Det går aldri.",
               "Korrespondansen på Prostneset er umulig å rekke med den nye ruten.",
           ], lang=L),
        kp("kp6", "Fylkestrafikken evaluerer endringene etter tre måneder og tar imot innspill "
           "til 15. januar.", "minor", [
               "@staff Vi evaluerer endringene etter tre måneder, og innspill kan sendes inn til "
               "15. januar.",
               "@staff Vi samler innspillene fra i kveld og tar dem med i evalueringen i januar.",
           ], lang=L, item="action", late=True,
           questions=["Hvor sender vi innspillene?"]),
    ],
    chatter={L: [
        "Jeg har tatt bussen herfra i tjue år",
        "Sjåførene er veldig hyggelige, det skal de ha",
        "Ruteplanen på nettsiden er helt umulig å forstå",
        "Det var mye snø på veien i går",
        "Brua var stengt en time i går også",
        "Mange har kjøpt elbil nå",
        "Billettprisene gikk opp i fjor også",
    ]},
    reference_summary=(
        "De nye rutetidene på Kvaløya passer ikke med skolestart og arbeidstid fordi "
        "morgenavgangen er fjernet, og kveldsavgangene er kuttet slik at ungdom og "
        "skiftarbeidere blir strandet. Deltakerne foreslår bestillingstransport på kveldstid. "
        "Busstoppet ved Kaldfjord mangler leskur og lys i mørketida, og overgangen til bybussen "
        "i sentrum er for stram. Fylkestrafikken evaluerer endringene etter tre måneder og tar "
        "imot innspill til 15. januar."
    ),
)

FJELL = DiscussionScript(
    name="nb_fjell_ungdomsklubb",
    languages=(L,),
    title="Salong om ungdomsklubben på Fjell",
    place="Fjell",
    where={L: "på Fjell"},
    topic={L: "ungdomsklubben"},
    size=60,
    start="2026-11-10",
    tz="CET",
    key_points=[
        kp("kp1", "Ungdommene vil ha klubben åpen i helgene, ikke bare tirsdag og "
           "torsdag.", "major", [
               "Vi har ingen steder å være på fredagskvelden. Klubben må være åpen da.",
               "To kvelder i uka er for lite. Helgene er når vi trenger den mest.",
               "Hvis klubben var åpen lørdag, hadde færre hengt på kjøpesenteret.",
           ], lang=L,
           objections=["Helgeåpent krever flere voksne, og det har vi ikke råd til nå."]),
        kp("kp2", "Klubben trenger flere voksne; i dag har én ansatt ansvar for 60 "
           "ungdommer.", "major", [
               "Én voksen på 60 ungdommer er ikke trygt for noen.",
               "Vi trenger flere ansatte, ellers blir det bare oppbevaring.",
               "Den ene fritidslederen gjør en fantastisk jobb, men hun kan ikke være overalt.",
           ], lang=L),
        kp("kp3", "Forslag: et musikkrom eller studio i kjelleren som ungdommene driver "
           "selv.", "medium", [
               "Kjelleren står tom. Vi kunne laget et lite studio der.",
               "Et øvingsrom for band ville fått mange flere til å komme.",
               "Vi kan drive studioet selv hvis noen voksne hjelper med utstyret.",
           ], lang=L, item="idea",
           questions=["Hvem skal eie utstyret i studioet?"]),
        kp("kp4", "Foreldre er bekymret for rus og uro ved busstoppet utenfor.", "minor", [
               "Det har vært noe rus ved busstoppet utenfor klubben, det bekymrer meg.",
               "Noen eldre gutter henger ved busslommen og selger, sier ungdommen min.",
           ], lang=L),
        kp("kp5", "Bydelsutvalget tar opp helgeåpning og en ekstra stilling i neste års "
           "budsjett.", "minor", [
               "@politician Jeg tar opp helgeåpning og en ekstra stilling i "
               "budsjettforhandlingene.",
               "@politician Vi i bydelsutvalget skal foreslå mer penger til klubben i neste års "
               "budsjett.",
           ], lang=L, item="action", late=True),
    ],
    chatter={L: [
        "Jeg gikk på den klubben selv på 90-tallet",
        "Bordtennisbordet er helt ødelagt",
        "Det er bra at ungdommene selv er med i kveld",
        "Mange kjenner ikke til klubben en gang",
    ]},
    reference_summary=(
        "Ungdommene vil ha klubben på Fjell åpen i helgene og ikke bare to kvelder i uka, og "
        "klubben trenger flere voksne fordi én ansatt har ansvar for 60 ungdommer. De foreslår "
        "et musikkrom eller studio i kjelleren som de kan drive selv. Foreldre er bekymret for "
        "rus og uro ved busstoppet utenfor. Bydelsutvalget tar opp helgeåpning og en ekstra "
        "stilling i neste års budsjett."
    ),
)

DISCUSSIONS = [STORAASEN, KVALOYA, FJELL]
