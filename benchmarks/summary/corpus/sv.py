"""Swedish salons: building on a meadow, a playground and a care home move."""

from __future__ import annotations

from .model import DiscussionScript, kp

L = "sv"

SAEVJA = DiscussionScript(
    name="sv_saevja_fortatning",
    languages=(L,),
    title="Salong om förtätningen på Sävjaängen",
    place="Sävja",
    where={L: "i Sävja"},
    topic={L: "bygget på ängen"},
    size=1200,
    start="2026-10-13",
    tz="CET",
    key_points=[
        kp("kp1", "Många vill bevara ängen, som används för promenader, lek och "
           "hundrastning.", "major", [
               "Ängen är det enda stora gröna området vi har nära. Bygger man där är det borta "
               "för alltid.",
               "Jag går med hunden på ängen varje morgon, och där möter jag halva Sävja.",
               "Barnen bygger kojor i dungen vid ängen. Det går inte att ersätta med en "
               "lekplats.",
               "Grönytorna är det som gör området värt att bo i.",
               "Fyrahundra lägenheter på ängen betyder att vi förlorar vår gröna lunga.",
           ], lang=L,
           objections=["Ängen är ju mest gräs, det är inte precis orörd natur."]),
        kp("kp2", "Det behövs fler bostäder, särskilt hyresrätter för unga och för äldre som "
           "vill bo kvar.", "major", [
               "Min son är 26 och bor fortfarande hemma. Vi behöver hyresrätter i Sävja.",
               "Äldre som vill flytta från villan till en lägenhet hittar ingenting här.",
               "Bostadsbristen är verklig, och någonstans måste det byggas.",
               "Utan nya lägenheter kan unga aldrig flytta hemifrån och stanna i området.",
           ], lang=L, counter="kp1",
           objections=["Bostäder ja, men inte till vilket pris som helst."],
           questions=["Hur många blir hyresrätter och hur många bostadsrätter?"]),
        kp("kp3", "Skolan och vårdcentralen är redan fulla; servicen hänger inte "
           "med.", "major", [
               "Skolan har redan paviljonger på gården. Var ska 200 nya barn gå?",
               "Det tar tre veckor att få en tid på vårdcentralen redan nu.",
               "Först service, sedan bostäder – inte tvärtom.",
               "Förskolorna har kö, och bussarna är fulla i rusningstid.",
           ], lang=L,
           objections=["Nya bostäder brukar ju ge underlag för mer service, inte mindre."]),
        kp("kp4", "Förslag: bygg högre och tätare vid pendeltågsstationen istället för på "
           "ängen.", "medium", [
               "Varför inte bygga vid stationen, där marken redan är hårdgjord?",
               "Bygg på höjden vid stationsparkeringen och spara ängen.",
               "Tio våningar vid tåget är bättre än fyra våningar i naturen.",
               "Förtäta där kollektivtrafiken redan finns, alltså vid pendeltåget.",
           ], lang=L, item="proposal",
           objections=["Höghus vid stationen blir mörkt och blåsigt."],
           questions=["Äger kommunen marken vid stationen?"]),
        kp("kp5", "Oro för mer trafik och brist på parkering på Sävjavägen.", "medium", [
               "Sävjavägen är redan proppfull på morgonen. Fyrahundra hushåll till blir kaos.",
               "Var ska alla parkera? Planen har bara 0,5 platser per lägenhet.",
               "Mer biltrafik förbi skolan är det sista vi behöver.",
           ], lang=L),
        kp("kp6", "Ängen fungerar som översvämningsyta vid skyfall.", "minor", [
               "Ängen tar hand om regnvattnet. När det regnade i augusti stod den under vatten – "
               "tänk om det hade stått hus där.",
               "Vid skyfall är ängen en naturlig buffert. Hårdgör man den översvämmas källarna "
               "nedanför.",
           ], lang=L),
        kp("kp7", "Planavdelningen förlänger samrådet till 31 januari och gör en ny "
           "trafikutredning.", "minor", [
               "@staff Samrådstiden förlängs till den 31 januari, och vi beställer en ny "
               "trafikutredning.",
               "@staff Vi tar med synpunkterna och förlänger samrådet, så att fler hinner yttra "
               "sig.",
               "@politician Jag kan lova att ingen detaljplan antas förrän trafikutredningen är "
               "klar.",
           ], lang=L, item="action", late=True,
           questions=["Hur lämnar man synpunkter i samrådet?"]),
    ],
    chatter={L: [
        "Jag flyttade hit 1998, då fanns nästan inget här",
        "Det har byggts mycket i Uppsala de senaste åren",
        "Kommer ni ihåg när de ville bygga en golfbana här?",
        "Det är bra att så många kom ikväll",
        "Planen finns på kommunens hemsida, men den är svår att läsa",
        "Min granne har skrivit till kommunen om det här",
        "Det blir intressant att se vad politikerna säger",
        "Sävja har förändrats mycket",
        "Jag jobbar själv inom bygg, så jag förstår båda sidor",
    ]},
    reference_summary=(
        "Många vill bevara ängen i Sävja, som används för promenader, lek och hundrastning och "
        "fungerar som översvämningsyta vid skyfall. Samtidigt behövs fler bostäder, särskilt "
        "hyresrätter för unga och äldre. Deltagarna menar att skolan och vårdcentralen redan är "
        "fulla och oroar sig för trafik och parkering på Sävjavägen. Flera föreslår att bygga "
        "högre och tätare vid pendeltågsstationen istället för på ängen. Planavdelningen "
        "förlänger samrådet till 31 januari och gör en ny trafikutredning."
    ),
)

ALIDHEM = DiscussionScript(
    name="sv_alidhem_lekplats",
    languages=(L,),
    title="Salong om lekplatsen på Ålidhem",
    place="Ålidhem",
    where={L: "på Ålidhem"},
    topic={L: "lekplatsen"},
    size=80,
    start="2026-10-20",
    tz="CET",
    key_points=[
        kp("kp1", "Lekplatsen är sliten och delvis farlig; gungorna har varit avstängda sedan i "
           "våras.", "major", [
               "Gungorna har varit avspärrade sedan i våras. Barnen förstår inte varför.",
               "Rutschkanan har vassa kanter och sanden är full av glas.",
               "Det är den sämsta lekplatsen på hela Ålidhem just nu.",
           ], lang=L),
        kp("kp2", "Föräldrarna vill ha lekredskap för olika åldrar och för barn med "
           "funktionsnedsättning.", "major", [
               "Vi behöver en gunga som fungerar för rullstol, min dotter kan inte använda något "
               "där idag.",
               "Det finns bara saker för små barn. Tioåringarna har ingenting att göra.",
               "Tänk på alla åldrar och på barn som har svårt att gå – tillgänglig lek!",
           ], lang=L, item="proposal",
           objections=["Allt kan inte vara för alla – budgeten räcker inte."]),
        kp("kp3", "Belysning och snöröjning behövs för att lekplatsen ska användas på "
           "vintern.", "medium", [
               "Det är mörkt klockan tre på eftermiddagen. Utan lampor står lekplatsen tom halva "
               "året.",
               "Snön plogas aldrig där, så vi kan inte ta oss fram med barnvagnen.",
           ], lang=L),
        kp("kp4", "Grannarna vill ha bänkar med tak så att föräldrar och äldre kan "
           "sitta.", "minor", [
               "Några bänkar med tak vore fint, både för föräldrar och för pensionärerna i huset "
               "bredvid.",
               "Det finns ingenstans att sitta medan barnen leker.",
           ], lang=L),
        kp("kp5", "Parkförvaltningen lagar gungorna före jul och tar fram ett förslag till ny "
           "lekplats i vår.", "minor", [
               "@staff Gungorna lagas före jul, och vi tar fram ett skissförslag till våren som "
               "ni får tycka till om.",
               "@staff Vi återkommer med skisser i mars och bjuder in till ett nytt möte.",
           ], lang=L, item="action", late=True,
           questions=["Får barnen vara med och tycka till om ritningarna?"]),
    ],
    chatter={L: [
        "Min äldsta lekte där när han var liten",
        "Det bor många barnfamiljer i kvarteret nu",
        "Bostadsbolaget har också haft möte om gården",
        "Det är bra att kommunen är här ikväll",
    ]},
    reference_summary=(
        "Lekplatsen på Ålidhem är sliten och delvis farlig, och gungorna har varit avstängda "
        "sedan i våras. Föräldrarna vill ha lekredskap för olika åldrar och för barn med "
        "funktionsnedsättning. Belysning och snöröjning behövs för att lekplatsen ska användas "
        "på vintern, och grannarna vill ha bänkar med tak. Parkförvaltningen lagar gungorna före "
        "jul och tar fram ett förslag till ny lekplats i vår."
    ),
)

SOLGARDEN = DiscussionScript(
    name="sv_solgarden_aldreboende",
    languages=(L,),
    title="Salong om flytten från Solgårdens äldreboende",
    place="Gävle",
    where={L: "i Gävle"},
    topic={L: "flytten från Solgården"},
    size=500,
    start="2026-11-04",
    tz="CET",
    key_points=[
        kp("kp1", "Anhöriga är oroliga för att de boende, särskilt de med demens, far illa av "
           "flytten.", "major", [
               "Min pappa har demens. En flytt till en helt ny miljö kommer att förvirra honom "
               "totalt.",
               "Flyttar man äldre med demens försämras de ofta snabbt, det vet alla som jobbat i "
               "vården.",
               "Mamma har bott på Solgården i sex år. Det är hennes hem, inte en institution man "
               "bara byter.",
               "Det är de boendes trygghet som står på spel, inte bara en adress.",
           ], lang=L),
        kp("kp2", "Personalkontinuitet är viktigast; de boende behöver känna igen "
           "personalen.", "major", [
               "Det viktigaste är att samma personal följer med, så att de känner igen "
               "ansiktena.",
               "Att personalen känner de boende är värt mer än nya lokaler.",
               "Vi har en fantastisk personalgrupp. Splittrar man den förlorar man allt.",
               "Kontinuitet, kontinuitet, kontinuitet. Ny personal varje vecka är det värsta för "
               "de dementa.",
           ], lang=L,
           objections=["Personalen kan ju inte lova att stanna för alltid heller."]),
        kp("kp3", "Det nya boendet har fördelar: större rum, egen dusch och bättre "
           "tillgänglighet.", "medium", [
               "Jag ska vara ärlig: rummen på Solgården är små och duscharna delas. Det nya är "
               "bättre på det.",
               "Egen toalett och dusch är en värdighetsfråga, och det får de på det nya stället.",
               "Hissarna på Solgården går sönder hela tiden. Nybygget är helt tillgängligt.",
           ], lang=L, counter="kp1",
           objections=["Fina rum hjälper inte om personalen inte räcker till."]),
        kp("kp4", "Förslag: flytta en avdelning i taget och låt anhöriga vara med och "
           "planera.", "medium", [
               "Gör flytten i etapper, en avdelning i taget, så att personalen hinner med.",
               "Låt oss anhöriga vara med när rummen inreds, så att mamma får sina egna saker på "
               "plats.",
               "Planera flytten tillsammans med familjerna, inte över huvudet på dem.",
           ], lang=L, item="proposal",
           questions=["När ska flytten börja?"]),
        kp("kp5", "Det nya boendet ligger långt från centrum med dåliga bussförbindelser för "
           "besökare.", "minor", [
               "Det nya boendet ligger ute vid Hemlingby, och bussen går en gång i timmen. Hur "
               "ska vi hälsa på?",
               "Många anhöriga är själva äldre och har ingen bil. Avståndet gör att besöken blir "
               "färre.",
           ], lang=L,
           questions=["Kan man ordna färdtjänst för anhöriga?"]),
        kp("kp6", "Förvaltningen lovar en individuell flyttplan för varje boende och en "
           "kontaktperson för varje familj.", "minor", [
               "@staff Varje boende får en individuell flyttplan, och varje familj får en "
               "kontaktperson.",
               "@politician Jag ser till att nämnden beslutar om individuella flyttplaner innan "
               "flytten börjar.",
           ], lang=L, item="action", late=True),
    ],
    chatter={L: [
        "Jag har jobbat inom hemtjänsten i tjugo år",
        "Solgården byggdes på sjuttiotalet",
        "Det var fint med luciafirandet där förra året",
        "Mamma tycker mycket om maten där",
        "Det är en svår fråga för många familjer",
        "Jag är här för min moster",
        "Kommunen har gått med underskott flera år",
    ]},
    reference_summary=(
        "Anhöriga oroar sig för att de boende på Solgården, särskilt de med demens, far illa av "
        "flytten till det nya stora boendet. Personalkontinuitet anses viktigast. Det nya "
        "boendet har fördelar som större rum, egen dusch och bättre tillgänglighet. Deltagarna "
        "föreslår att flytta en avdelning i taget och låta anhöriga vara med och planera. Det "
        "nya boendet ligger långt från centrum med dåliga bussförbindelser för besökare. "
        "Förvaltningen lovar individuella flyttplaner och en kontaktperson för varje familj."
    ),
)

DISCUSSIONS = [SAEVJA, ALIDHEM, SOLGARDEN]
