"""Danish salons: a closing library branch, a school route and a harbour bath."""

from __future__ import annotations

from .model import DiscussionScript, kp

L = "da"

HOERNING = DiscussionScript(
    name="da_hoerning_bibliotek",
    languages=(L,),
    title="Salon om lukningen af Hørning Bibliotek",
    place="Hørning",
    where={L: "i Hørning"},
    topic={L: "biblioteket"},
    size=2000,
    start="2026-10-06",
    tz="CET",
    key_points=[
        kp("kp1", "Filialen er et vigtigt mødested, især for ældre og børnefamilier, og lukningen "
           "rammer byens sociale liv.", "major", [
               "Biblioteket er meget mere end bøger – det er der, de ældre mødes til avislæsning "
               "og kaffe om formiddagen.",
               "For mange børnefamilier er lørdagen på biblioteket det faste frirum, og det "
               "forsvinder nu.",
               "Hvis filialen lukker, mister Hørning et af de sidste steder, hvor man kan være "
               "uden at skulle købe noget.",
               "Min mor på 84 kommer der to gange om ugen. Det er hendes eneste faste sociale "
               "aftale.",
               "Der er ikke andre fælles rum i byen, som alle generationer bruger på samme måde.",
               "Det er byens dagligstue. Lukker den, bliver folk siddende derhjemme.",
           ], lang=L,
           objections=["Er det ikke lidt nostalgi? De fleste låner e-bøger i dag.",
                       "Der er da også forsamlingshuset, hvis man vil mødes."]),
        kp("kp2", "Hovedbiblioteket i Skanderborg er for langt væk for dem uden bil, fordi "
           "busforbindelsen er dårlig.", "major", [
               "Bussen til Skanderborg går kun én gang i timen og slet ikke om søndagen.",
               "Uden bil tager det næsten en time hver vej at låne en bog i Skanderborg.",
               "Mange ældre kører ikke selv, så Skanderborg er reelt uden for rækkevidde for dem.",
               "Teenagere kan ikke bare cykle 14 kilometer langs landevejen i mørke for at lave "
               "lektier.",
               "Hovedbiblioteket ligger fint, hvis man har bil – ellers er det en halv dagstur.",
           ], lang=L,
           objections=["Der er altså også mange, der alligevel handler i Skanderborg hver uge."]),
        kp("kp3", "Forslag: gør filialen til et selvbetjent åbent bibliotek med adgang via "
           "sundhedskort og bemanding nogle få timer om ugen.", "major", [
               "Kunne man ikke lave det som åbent bibliotek, hvor man låser sig ind med "
               "sundhedskortet om aftenen?",
               "I Galten har de selvbetjening med nøglekort og kun bemanding to eftermiddage – "
               "det virker fint.",
               "Mit forslag er selvbetjening i ydertimerne og personale et par timer om ugen til "
               "de ældre.",
               "Lad os få adgang med sygesikringskortet fra 7 til 22 i stedet for at lukke helt.",
               "Et ubemandet bibliotek er bedre end intet bibliotek.",
           ], lang=L, item="proposal",
           objections=["Men hvem rydder op og holder øje, hvis der ikke er personale? Jeg er "
                       "bange for hærværk.",
                       "Selvbetjening er fint for os med smartphone, men ikke for de ældste."],
           questions=["Hvad koster sådan et adgangssystem egentlig?",
                      "Har nogen erfaringer med åbne biblioteker andre steder?"]),
        kp("kp4", "Besparelsen er lille, ca. 1,4 mio. kr. om året, i forhold til hvad byen "
           "mister.", "medium", [
               "Ifølge budgettet sparer man omkring 1,4 millioner om året. Det er ingenting i "
               "den store sammenhæng.",
               "Vi taler om under en promille af kommunens budget. Det står ikke mål med, hvad "
               "vi mister.",
               "Er det virkelig besværet værd for 1,4 mio.? Det svarer til at asfaltere en "
               "enkelt vej.",
               "@staff Til orientering: filialens samlede driftsudgift er cirka 1,4 mio. kr. "
               "årligt, inklusive husleje og personale.",
           ], lang=L,
           objections=["Alle besparelser er små hver for sig. Et sted skal pengene jo findes."]),
        kp("kp5", "Lokalerne kan deles med foreninger, borgerservice eller dagplejen, så "
           "huslejen bliver delt.", "medium", [
               "Hvad med at dele huset med borgerservice et par dage om ugen?",
               "Spejderne og lokalhistorisk arkiv mangler lokaler – de kunne bo i samme bygning "
               "og dele huslejen.",
               "Dagplejerne kunne bruge lokalet om formiddagen, så det ikke står tomt.",
               "Lad flere foreninger betale for at bruge rummene, så filialen ikke alene skal "
               "bære udgiften.",
           ], lang=L, item="idea",
           questions=["Må man overhovedet leje kommunale lokaler ud til foreninger?"]),
        kp("kp6", "Skolebørn bruger filialen til lektiehjælp og som et trygt sted efter "
           "skole.", "medium", [
               "Min søn går der hver tirsdag til lektiecaféen. Hvor skal han så gå hen?",
               "Efter skole er biblioteket det sted, hvor de store børn kan være uden at hænge "
               "ud ved tanken.",
               "Lektiecaféen med de frivillige har hjulpet mange tosprogede børn i 4.–6. klasse.",
               "For børn, der ikke har ro derhjemme, er det det eneste sted at lave opgaver.",
           ], lang=L),
        kp("kp7", "Der er utilfredshed med, at lukningen blev besluttet uden "
           "borgerinddragelse.", "minor", [
               "Det værste er, at ingen spurgte os. Vi læste det i avisen.",
               "Der var ingen høring, før man besluttede at lukke. Det er ikke i orden.",
               "Jeg savner, at kommunen inddrager borgerne, inden beslutningen er truffet – ikke "
               "bagefter.",
               "Hvorfor skal vi først tale om det nu, hvor budgettet allerede er vedtaget?",
           ], lang=L),
        kp("kp8", "Kommunen tager forslaget om selvbetjening med til kultur- og "
           "fritidsudvalget, som behandler det i januar.", "minor", [
               "@politician Jeg tager forslaget om selvbetjening med til kultur- og "
               "fritidsudvalget, og vi behandler det i januar.",
               "@staff Forvaltningen laver et notat om prisen på et åbent bibliotek til "
               "udvalgsmødet i januar.",
               "@politician Jeg kan love, at sagen kommer på dagsordenen igen i januar, før "
               "noget bliver endeligt.",
           ], lang=L, item="action", late=True,
           questions=["Hvornår får vi at vide, hvad udvalget beslutter?"]),
    ],
    chatter={L: [
        "Jeg lånte min første bog der i 1987, så det er lidt personligt for mig",
        "Bibliotekarerne derude er altid så søde",
        "Har nogen set, at de har fået nye sofaer i børnehjørnet?",
        "Jeg bruger mest biblioteket til at printe, indrømmet",
        "Der var et godt foredrag om slægtsforskning på biblioteket sidste år",
        "Jeg har to bøger, der skal afleveres på fredag, kan man stadig det?",
        "Er det den samme bygning, hvor der før var sparekasse?",
        "Biblioteket og kommunen har vist diskuteret det her i flere år",
        "Jeg synes, vi skal huske, at personalet også er berørt",
        "Hvad sker der med bogbussen, den kom da engang?",
        "Kommunen har jo mange opgaver at tage sig af",
        "Jeg har skrevet et læserbrev om biblioteket, men det kom ikke i avisen",
        "Hørning er vokset meget de sidste ti år",
        "Jeg kender en af bibliotekarerne, hun er ked af det",
    ]},
    reference_summary=(
        "Deltagerne ser Hørning-filialen som byens vigtigste mødested for ældre og "
        "børnefamilier, og skolebørn bruger den til lektiehjælp og som et trygt sted efter "
        "skole. Uden filialen er hovedbiblioteket i Skanderborg for langt væk for dem uden bil, "
        "fordi bussen kører sjældent. Besparelsen på ca. 1,4 mio. kr. om året anses for lille i "
        "forhold til tabet. Flere foreslår et selvbetjent åbent bibliotek med adgang via "
        "sundhedskort og bemanding nogle timer om ugen, og at dele lokalerne med foreninger, "
        "borgerservice eller dagplejen. Mange er utilfredse med, at lukningen blev besluttet "
        "uden borgerinddragelse. Kommunen tager forslaget om selvbetjening med til kultur- og "
        "fritidsudvalget i januar."
    ),
)

TILST = DiscussionScript(
    name="da_tilst_skolevej",
    languages=(L,),
    title="Salon om en sikker skolevej i Tilst",
    place="Tilst",
    where={L: "i Tilst"},
    topic={L: "skolevejen"},
    size=120,
    start="2026-09-15",
    tz="CET",
    key_points=[
        kp("kp1", "Krydset ved Bygaden er farligt om morgenen, fordi bilister kører for stærkt "
           "og ikke holder for cyklende børn.", "major", [
               "Om morgenen ved krydset på Bygaden drøner bilerne igennem, og ingen stopper for "
               "børnene på cykel.",
               "Jeg har selv set en 8-årig blive snittet af en varebil lige ved krydset i sidste "
               "uge.",
               "Hastigheden ved krydset er alt for høj, når folk skal nå på arbejde.",
               "Krydset er livsfarligt mellem kvart i otte og otte.",
           ], lang=L),
        kp("kp2", "Forslag: et hævet fodgængerfelt, vejbump og en 40 km/t-zone omkring "
           "skolen.", "major", [
               "Et hævet fodgængerfelt ville tvinge farten ned med det samme.",
               "Lad os få en 40-zone hele vejen rundt om skolen og et par bump.",
               "Bump og skilte med nedsat hastighed er billigt og virker.",
               "Vejbump ved indkørslen til skolen – det er det, der skal til.",
           ], lang=L, item="proposal",
           objections=["Bump er irriterende for busserne og for ambulancerne."],
           questions=["Hvem betaler for bump – kommunen eller grundejerforeningen?"]),
        kp("kp3", "Forældre, der kører deres børn helt op til skolen, skaber kaos og gør det "
           "farligere.", "medium", [
               "Det er ironisk nok forældrebilerne, der gør det farligt. Alle vil holde lige "
               "foran porten.",
               "Afsætningen foran skolen er et kaos af biler, der bakker og vender.",
               "Hvis færre kørte deres børn helt frem, ville der være langt mere sikkert.",
           ], lang=L,
           objections=["Det er nemt at sige, men nogle af os skal videre på arbejde i en fart."]),
        kp("kp4", "Skolepatrulje og gå-busser med forældre kan være en hurtig løsning, indtil "
           "vejen bygges om.", "medium", [
               "Kan vi ikke genoplive skolepatruljen fra 6. klasse?",
               "Vi kunne lave gå-busser, hvor en forælder følger en flok børn på skift.",
               "Indtil kommunen bygger om, kan vi selv organisere at gå sammen med børnene.",
           ], lang=L, item="idea"),
        kp("kp5", "Stien bag hallen mangler belysning om vinteren.", "minor", [
               "Stien bag hallen er kulsort om vinteren, og mange børn går den vej.",
               "Der mangler lys på stiforbindelsen ved hallen, det er utrygt i december.",
           ], lang=L),
        kp("kp6", "Kommunen laver en trafiktælling og hastighedsmåling i krydset i "
           "november.", "minor", [
               "@staff Vi sætter en hastighedsmåler op i krydset i november og tæller trafikken "
               "i to uger.",
               "@staff Teknik og Miljø laver en trafiktælling i november, så vi har tal at gå "
               "ud fra.",
           ], lang=L, item="action", late=True,
           questions=["Får vi resultatet af målingen at se?"]),
    ],
    chatter={L: [
        "Min ældste gik på Tilst Skole for ti år siden, og det var det samme dengang",
        "Der er kommet mange nye familier i de nye rækkehuse",
        "Jeg cykler selv med min datter hver morgen",
        "Skolen har sendt en besked ud på Aula om trafikken",
        "Er der ikke også vejarbejde på Bygaden lige nu?",
        "Busserne holder også lige ved krydset",
        "Vores yngste starter i skole til august",
    ]},
    reference_summary=(
        "Forældre oplever krydset ved Bygaden som farligt om morgenen, fordi bilister kører for "
        "stærkt og ikke holder for cyklende børn. De foreslår et hævet fodgængerfelt, vejbump og "
        "en 40 km/t-zone ved skolen. Forældrenes egne biler ved afsætningen skaber kaos og gør "
        "det farligere. Som hurtig løsning foreslås skolepatrulje og gå-busser. Stien bag hallen "
        "mangler belysning om vinteren. Kommunen laver en trafiktælling og hastighedsmåling i "
        "krydset i november."
    ),
)

VEJLE = DiscussionScript(
    name="da_vejle_havnebad",
    languages=(L,),
    title="Salon om et havnebad i Vejle",
    place="Vejle",
    where={L: "i Vejle"},
    topic={L: "havnebadet"},
    size=700,
    start="2026-10-27",
    tz="CET",
    key_points=[
        kp("kp1", "Der er stor opbakning til et havnebad, fordi det giver liv på havnen og "
           "gratis badning for alle.", "major", [
               "Et havnebad ville gøre havnen til et sted, hvor folk faktisk opholder sig.",
               "Jeg elsker idéen – gratis badning midt i byen er fantastisk for familier uden "
               "sommerhus.",
               "Det ville give liv på havnefronten, som i dag er ret død efter kl. 17.",
               "Se på Aarhus og København – havnebadene er blevet byens samlingspunkter.",
               "Endelig noget, der er for alle og ikke koster entré.",
           ], lang=L,
           objections=["Er det ikke bedre at bruge pengene på svømmehallen, som er slidt ned?"]),
        kp("kp2", "Vandkvaliteten bekymrer: overløb fra kloakken efter skybrud kan gøre vandet "
           "uegnet til badning.", "major", [
               "Efter kraftig regn løber kloakken over i fjorden. Skal vi så bade i det?",
               "Hvad med overløbene? Jeg har set brunt vand ved slusen efter skybrud.",
               "Vandkvaliteten i inderhavnen er ikke god nok i dag – der skal måles løbende.",
               "Jeg vil ikke have mine børn i vandet, før man har styr på spildevandet.",
           ], lang=L,
           questions=["Hvor ofte sker det med overløb egentlig?"]),
        kp("kp3", "Forslag: placér badet ved Nordkajen, hvor der er eftermiddagssol og mindre "
           "bådtrafik.", "major", [
               "Nordkajen er oplagt: sol hele eftermiddagen og næsten ingen både.",
               "Læg det ved den nordlige kaj, hvor lystbådene ikke sejler ind.",
               "Sydsiden ligger i skygge fra de høje boliger efter kl. 15, så nordsiden må være "
               "bedst.",
           ], lang=L, item="proposal",
           objections=["Nordkajen er jo der, hvor erhvervshavnen skal udvides."],
           questions=["Hvor dybt er vandet ved Nordkajen?"]),
        kp("kp4", "Der bør være livredder i sæsonen og god adgang for kørestolsbrugere og "
           "ældre.", "medium", [
               "Der skal være livreddere i sommerferien, ellers tør jeg ikke sende børnene "
               "derned.",
               "Husk en rampe eller lift, så folk i kørestol også kan komme i vandet.",
               "Badestiger er ikke nok for ældre – der skal være en trappe med gelænder.",
               "Livredder i højsæsonen og førstehjælpsudstyr er et minimum.",
           ], lang=L,
           questions=["Hvem betaler for livreddere?"]),
        kp("kp5", "Vinterbaderne ønsker helårsåbent med sauna og vil gerne drive den som "
           "forening.", "medium", [
               "Vi er 120 vinterbadere i foreningen, og vi vil gerne stå for en sauna ved badet.",
               "Helårsåbent med sauna ville være en drøm – foreningen kan tage sig af driften.",
               "Vinterbadning er vokset enormt. Saunaen kan drives af frivillige.",
           ], lang=L, item="proposal",
           objections=["Sauna er fint, men det skal ikke blive en lukket klub for "
                       "vinterbadere."]),
        kp("kp6", "Naboer frygter støj og parkeringsproblemer om sommeraftenen.", "minor", [
               "Vi, der bor på havnen, er bekymrede for larm til langt ud på natten.",
               "Hvor skal alle gæsterne parkere? Der er allerede fyldt om sommeren.",
               "Jeg frygter fester og støj ved badet, når det bliver varmt.",
           ], lang=L),
        kp("kp7", "Forvaltningen måler vandkvaliteten en hel sæson, før der besluttes "
           "noget.", "minor", [
               "@staff Vi starter et måleprogram for vandkvaliteten fra maj til september næste "
               "år.",
               "@staff Før der tages stilling til placering, måler forvaltningen badevandet en "
               "hel sæson.",
               "@politician Vi beslutter ikke noget, før vi har et års målinger af vandet.",
           ], lang=L, item="action", late=True),
    ],
    chatter={L: [
        "Jeg badede i fjorden som barn, dengang var det helt normalt",
        "Der var en fin artikel om havnebade i Vejle Amts Folkeblad",
        "Det bliver spændende at se tegningerne",
        "Fjorden er smuk i solnedgang",
        "Min nabo har en båd i lystbådehavnen",
        "Havnen har ændret sig helt på ti år",
        "Jeg kommer fra Horsens, og der snakker de også om det",
        "Det minder lidt om diskussionen om Bølgen",
        "Der bliver bygget rigtig meget på havnen for tiden",
    ]},
    reference_summary=(
        "Der er bred opbakning til et havnebad i Vejle, fordi det vil give liv på havnen og "
        "gratis badning for alle. Deltagerne er dog bekymrede for vandkvaliteten, især "
        "kloakoverløb efter skybrud. Nordkajen foreslås som placering på grund af "
        "eftermiddagssol og lidt bådtrafik. Der ønskes livredder i sæsonen og adgang for "
        "kørestolsbrugere og ældre. Vinterbaderne vil gerne have helårsåbent med sauna drevet af "
        "foreningen. Naboer frygter støj og parkeringsproblemer. Forvaltningen måler "
        "vandkvaliteten en hel sæson, før der besluttes noget."
    ),
)

DISCUSSIONS = [HOERNING, TILST, VEJLE]
