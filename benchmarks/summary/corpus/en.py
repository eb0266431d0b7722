"""English salons: island ferries, daycare places and a bike lane."""

from __future__ import annotations

from .model import DiscussionScript, kp

L = "en"

ORKNEY = DiscussionScript(
    name="en_orkney_ferries",
    languages=(L,),
    title="Salon on the inter-island ferries",
    place="Westray",
    where={L: "on Westray"},
    topic={L: "the ferries"},
    size=900,
    start="2026-10-08",
    tz="GMT",
    key_points=[
        kp("kp1", "The ageing ferries break down too often, leaving islanders stranded and "
           "missing appointments.", "major", [
               "The Earl Thorfinn broke down three times this autumn. Each time people missed "
               "hospital appointments in Kirkwall.",
               "These boats are forty years old. Breakdowns aren't bad luck, they're the new "
               "normal.",
               "My daughter missed her exam because the sailing was cancelled with an engine "
               "fault.",
               "When the boat is off, the island is cut off. There's no backup.",
               "We need new vessels, not another patch-up job on the old ones.",
           ], lang=L,
           questions=["How old are the boats exactly?"]),
        kp("kp2", "The timetable doesn't suit commuters or pupils; the first sailing is too "
           "late.", "major", [
               "The first sailing gets into Kirkwall at 9:40. Nobody can hold down a nine-to-five "
               "job on that.",
               "The bairns who board in Kirkwall can only come home on a Friday if the last boat "
               "isn't cancelled.",
               "An early sailing before 7 would let people work on the mainland and still live "
               "here.",
               "The timetable is built around freight, not around people.",
           ], lang=L,
           objections=["An early boat means the crew has to live on the island, and we can't "
                       "find crew as it is."]),
        kp("kp3", "Fares are too high for islanders compared with road users on the "
           "mainland.", "major", [
               "It costs a family over £80 return with the car. That's a tax on living on an "
               "island.",
               "Road Equivalent Tariff works on the west coast, so why not here?",
               "People on the mainland don't pay a toll every time they drive to the shops.",
               "High fares are driving young families away from the outer isles.",
           ], lang=L,
           objections=["Cheaper fares mean the council needs money from somewhere else, "
                       "probably schools."],
           questions=["What would RET cost the council?"]),
        kp("kp4", "Proposal: priority booking for islanders, medical trips and local "
           "freight.", "medium", [
               "Islanders with hospital appointments should get guaranteed places on the boat.",
               "In summer the tourists book every car space. Locals need a reserved quota.",
               "Could we have a resident priority list, like they do on some of the Hebridean "
               "routes?",
           ], lang=L, item="proposal",
           objections=["Tourists bring money to the island too, we shouldn't push them away."]),
        kp("kp5", "Local businesses suffer from unreliable freight.", "medium", [
               "When the boat is off, my fish can't get to market and I lose the whole "
               "consignment.",
               "The bakery can't get flour for days when sailings are cancelled.",
               "Visitors cancel their B&B bookings because they can't rely on getting back.",
           ], lang=L),
        kp("kp6", "Cancellations are communicated too late.", "minor", [
               "We hear about cancellations on Facebook before the council tells us.",
               "A text alert an hour before is useless if you've already driven to the pier.",
               "Could they not just put cancellations out by SMS the night before?",
           ], lang=L),
        kp("kp7", "The council will publish a vessel replacement business case in spring and "
           "consult on the timetable.", "minor", [
               "@staff The business case for replacing the vessels goes to committee in March, "
               "and we'll consult on a new timetable alongside it.",
               "@politician I'll push for the timetable consultation to include a pre-7am "
               "sailing, and it will come to committee in the spring.",
           ], lang=L, item="action", late=True,
           questions=["Will the consultation be online?"]),
    ],
    chatter={L: [
        "My granddad worked on the old Orcadia",
        "The crossing was lovely last Sunday, flat calm",
        "I've lived on Westray all my life",
        "The pier has been repainted at least",
        "Saw a pod of orcas from the boat in July!",
        "The crew are brilliant, it's not their fault",
        "Ferries come up at every community council meeting",
        "I moved here from Edinburgh five years ago",
    ]},
    reference_summary=(
        "The ageing inter-island ferries break down too often, leaving islanders stranded and "
        "missing appointments, and the timetable does not suit commuters or pupils because the "
        "first sailing is too late. Fares are seen as too high compared with road users on the "
        "mainland. Local businesses suffer from unreliable freight, and cancellations are "
        "communicated too late. Participants propose priority booking for islanders, medical "
        "trips and local freight. The council will publish a vessel replacement business case "
        "in spring and consult on the timetable."
    ),
)

ESPOO = DiscussionScript(
    name="en_espoo_daycare",
    languages=(L,),
    title="Salon on daycare places in Leppävaara",
    place="Leppävaara",
    where={L: "in Leppävaara"},
    topic={L: "daycare places"},
    size=250,
    start="2026-11-12",
    tz="EET",
    key_points=[
        kp("kp1", "There are not enough daycare places near home; families are offered places "
           "across the city.", "major", [
               "We were offered a place in Kalajärvi. We live in Leppävaara. That's an hour each "
               "way by bus.",
               "The nearest daycare has a waiting list of 40 children.",
               "Every family I know has been offered something on the other side of Espoo.",
               "The new flats went up but nobody built a daycare to go with them.",
           ], lang=L),
        kp("kp2", "International families want more English-language or bilingual "
           "groups.", "major", [
               "My son only speaks English and Hindi at home. A bilingual group would help him "
               "settle.",
               "There's one English group in the whole area and it's full for two years.",
               "We want our kids to learn Finnish, but starting in a mixed-language group would "
               "be kinder.",
           ], lang=L,
           objections=["English groups are nice, but children need Finnish to do well in "
                       "school."]),
        kp("kp3", "Staff shortages lead to group closures and last-minute changes.", "medium", [
               "Twice this month they've closed a group because there weren't enough staff.",
               "We get a message at 7am saying to keep the child at home. How are we supposed to "
               "work?",
               "The teachers are lovely but they're exhausted.",
           ], lang=L),
        kp("kp4", "Proposal: open a temporary daycare in the empty school building near "
           "Sello.", "medium", [
               "The old school wing near Sello is empty. Why not use it as a temporary daycare?",
               "Temporary modular buildings would be quicker than waiting years for a new "
               "daycare.",
           ], lang=L, item="proposal",
           questions=["Is the building at Sello safe for small children?"]),
        kp("kp5", "Application information is only in Finnish and Swedish and hard to "
           "follow.", "minor", [
               "The application portal is only in Finnish and Swedish. I needed a friend to "
               "translate.",
               "Nobody told us you must apply four months in advance.",
           ], lang=L),
        kp("kp6", "The education department will review allocation in Leppävaara and translate "
           "the application guide.", "minor", [
               "@staff We'll translate the application guide into English by February and look "
               "at the allocation in Leppävaara.",
               "@staff I'll take the case of the Sello building to the facilities team this "
               "month.",
           ], lang=L, item="action", late=True),
    ],
    chatter={L: [
        "We moved here from Chennai last year",
        "The playground at the new daycare looks great",
        "Espoo is growing so fast",
        "Our neighbours are Finnish and have been so helpful",
        "It's my first winter here, it's very dark!",
    ]},
    reference_summary=(
        "There are not enough daycare places near home in Leppävaara, so families are offered "
        "places across the city. International families want more English-language or "
        "bilingual groups. Staff shortages lead to group closures and last-minute changes. "
        "Participants propose a temporary daycare in the empty school building near Sello. "
        "Application information is only in Finnish and Swedish and is hard to follow. The "
        "education department will review allocation in Leppävaara and translate the "
        "application guide."
    ),
)

STAVANGER = DiscussionScript(
    name="en_stavanger_bike_lane",
    languages=(L,),
    title="Salon on the Storhaug bike lane",
    place="Storhaug",
    where={L: "in Storhaug"},
    topic={L: "the bike lane"},
    size=50,
    start="2026-09-29",
    tz="CET",
    key_points=[
        kp("kp1", "A separated bike lane would make commuting and cycling to school much "
           "safer.", "major", [
               "My kids cycle on this street every day. A separated lane would finally make it "
               "safe.",
               "With a proper bike lane I'd stop driving to work.",
               "Cycling to school along that road is terrifying right now.",
           ], lang=L),
        kp("kp2", "Shop owners fear losing customers because 40 parking spaces will be "
           "removed.", "major", [
               "Removing 40 parking spaces will hurt the shops on the street. Our customers "
               "drive.",
               "The bakery owner told me half her customers park right outside.",
               "If the parking goes, the small shops go.",
           ], lang=L, counter="kp1",
           objections=["Most people walk or cycle to those shops anyway."]),
        kp("kp3", "Proposal: move parking to a shared car park behind the school and add "
           "loading zones.", "medium", [
               "Couldn't the parking move to the school car park in the evenings and weekends?",
               "Put in short-term loading zones for deliveries and shift the rest of the parking "
               "round the corner.",
           ], lang=L, item="proposal",
           questions=["Does the school agree to share its car park?"]),
        kp("kp4", "Winter maintenance must be prioritised.", "minor", [
               "If they don't clear the snow and ice, the lane is pointless from November to "
               "March.",
               "Gritting the bike lane should come before the car lanes.",
           ], lang=L),
        kp("kp5", "The city will hold a walk-through with shop owners before the plan is "
           "final.", "minor", [
               "@staff We'll arrange a walk-through with the shop owners in December before the "
               "plan is final.",
           ], lang=L, item="action", late=True),
    ],
    chatter={L: [
        "I moved to Stavanger for work in 2015",
        "The street looks so much nicer since they planted trees",
        "My son and I cycled the whole Nordsjøruta last summer",
        "There was a long article about the bike plans in Aftenbladet",
        "The buses on this street are always packed in the morning",
    ]},
    reference_summary=(
        "A separated bike lane in Storhaug would make commuting and cycling to school much "
        "safer. Shop owners fear losing customers because 40 parking spaces will be removed. "
        "Participants propose moving parking to a shared car park behind the school and adding "
        "loading zones. Winter maintenance must be prioritised. The city will hold a "
        "walk-through with shop owners before the plan is finalised."
    ),
)

DISCUSSIONS = [ORKNEY, ESPOO, STAVANGER]
