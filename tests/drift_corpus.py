"""A corpus of page pairs for --drift: (the page as cited, the page now, drifted or not).

Six made-up news stories, each in ten transformations that happen to cited pages. The
expected verdict is a reader's: does the live page still say what the author cited?

Stable (the cited text is still there to read):
  same        byte for byte
  edited      one sentence reworded, a typo fixed
  corrected   a correction and an update paragraph appended
  redesigned  the same text in another site design, the title's suffix changed
  comments    readers' comments added below the article
  revised     two of the eight sentences rewritten, the rest kept

Drifted (a reader following the citation no longer finds what was cited):
  replaced    another story at the same address
  parked      the domain lapsed and is parked for sale
  home        the address now serves (or redirects to) the site's home page
  rewritten   a new story on the same subject replaced the old one; one sentence kept
  paywalled   only the first paragraph is shown, the rest behind a subscription
  trimmed     cut to its first three sentences: the details cited further down are gone
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

STORIES = [
    (
        "Council approves new budget for city schools",
        [
            "The city council voted on Tuesday evening to approve a budget that raises "
            "spending on public schools by eight percent over the next two years.",
            "The plan passed by seven votes to four after a debate that lasted more than "
            "five hours and drew hundreds of parents to the chamber.",
            "Supporters said the money would pay for smaller classes, repairs to heating "
            "systems in older buildings and two hundred new teaching assistants.",
            "Opponents argued that the increase would force cuts to parks, libraries and "
            "road maintenance unless property taxes rose as well.",
            "The mayor, who proposed the budget in March, called the vote a turning point "
            "for a school system that has struggled with falling enrolment.",
            "Teachers' union leaders welcomed the decision but warned that salaries still "
            "lagged behind those in neighbouring districts.",
            "The budget takes effect in July, and the first new classrooms are expected to "
            "open at the start of the autumn term.",
            "A separate proposal to extend the school day was postponed until next year.",
        ],
    ),
    (
        "Storm floods harbour district as river bursts its banks",
        [
            "Heavy rain overnight sent the river over its banks on Friday, flooding streets "
            "in the harbour district and forcing about three hundred residents to leave.",
            "Emergency crews used boats to reach families trapped on upper floors, and no "
            "serious injuries were reported by the morning.",
            "The weather service said more than ninety millimetres of rain fell in twelve "
            "hours, the highest total recorded in the region since records began.",
            "Power was cut to several thousand homes as water reached electrical substations "
            "near the old fish market.",
            "Shop owners along the quay described water rising knee deep within minutes and "
            "stock ruined in cellars and storerooms.",
            "The regional government promised emergency grants and said engineers would "
            "inspect the flood walls once the water receded.",
            "Critics noted that a plan to raise the walls had been delayed for a decade "
            "because of disputes over who should pay.",
            "Schools in the district will stay closed until at least Wednesday.",
        ],
    ),
    (
        "Researchers find ancient shipwreck off the northern coast",
        [
            "Marine archaeologists have found the remains of a wooden merchant ship that "
            "sank off the northern coast more than two thousand years ago.",
            "The wreck lies at a depth of sixty metres and was located with sonar during a "
            "survey for an offshore wind farm.",
            "Divers recovered amphorae that once held wine and olive oil, along with a bronze "
            "anchor stock and fragments of cooking pots used by the crew.",
            "The team believes the ship was carrying goods between ports along the coast "
            "when it was caught in a storm.",
            "Cold water and fine silt have preserved parts of the hull, including planks "
            "joined with wooden tenons in a style typical of the period.",
            "The university leading the project said the find could change what historians "
            "know about trade routes in the region.",
            "The site will be protected by law, and its exact location has not been made "
            "public to deter looters.",
            "Further dives are planned for next summer if funding can be found.",
        ],
    ),
    (
        "Local bakery wins national bread competition",
        [
            "A family bakery on Mill Street has won the national bread competition with a "
            "sourdough loaf made from grain grown on farms within thirty kilometres.",
            "The judges praised the loaf's open crumb, its dark crust and a flavour they "
            "described as deep and slightly sweet.",
            "The bakery was founded by the owner's grandparents in the nineteen fifties and "
            "still uses the original brick oven.",
            "Its head baker said the starter used for the winning loaf had been kept alive "
            "for more than forty years.",
            "More than four hundred bakeries entered the competition, which is judged in a "
            "blind tasting over two days.",
            "Since the announcement the queue outside the shop has stretched around the "
            "corner every morning.",
            "The owners said they had no plans to expand but would bake an extra batch on "
            "Saturdays to meet demand.",
            "The prize includes a trophy and a week of training at a baking school abroad.",
        ],
    ),
    (
        "Transport authority delays opening of new tram line",
        [
            "The transport authority said on Monday that the new tram line linking the "
            "airport with the city centre will open a year later than planned.",
            "Officials blamed problems with the signalling system and a shortage of "
            "qualified engineers to test the trams.",
            "The line was originally due to carry its first passengers next spring after "
            "three years of construction.",
            "Its cost has risen by a fifth to nearly one billion, according to figures "
            "presented to the regional assembly.",
            "Business groups near the airport said the delay would hurt hotels and offices "
            "that had counted on the new connection.",
            "The authority said buses would continue to run on the route every ten minutes "
            "until the trams are ready.",
            "An independent review of the project's management has been ordered by the "
            "transport minister.",
            "The review is expected to report its findings before the end of the year.",
        ],
    ),
    (
        "Hospital opens new wing for children's care",
        [
            "The general hospital opened a new wing for children on Thursday, adding sixty "
            "beds and a dedicated emergency department for young patients.",
            "The building was paid for partly by a fundraising campaign that collected "
            "donations from more than ten thousand local residents.",
            "Each room has space for a parent to stay overnight, a design doctors say helps "
            "children recover faster.",
            "The wing also houses a play area, a school room and a garden on the roof.",
            "Staff numbers will rise by about one hundred and fifty nurses, doctors and "
            "therapists over the coming year.",
            "Until now, children needing specialist care often had to travel to hospitals in "
            "the capital, three hours away.",
            "The health minister, who attended the opening, said the wing would serve as a "
            "model for other regions.",
            "The first patients are expected to move in next week.",
        ],
    ),
]

#: Each story's follow-up at the same address: same subject, new text, one sentence kept.
FOLLOW_UPS = [
    [
        "Months after the vote, parents say little has changed in their children's schools.",
        "Repairs promised for the heating systems have not started, and several classes "
        "are still taught in temporary cabins behind the main buildings.",
        "The council blamed delays in hiring contractors and said work would begin soon.",
        "A group of parents has started a petition asking for a public timetable.",
    ],
    [
        "A year after the floods, the harbour district is still rebuilding.",
        "Many shops along the quay have reopened, but some owners have moved away for good.",
        "Engineers have finished a report recommending that the walls be raised by a metre.",
        "Critics noted that a plan to raise the walls had been delayed for a decade "
        "because of disputes over who should pay.",
    ],
    [
        "The museum has put the first objects from the northern wreck on display.",
        "Visitors can see two restored amphorae and a reconstruction of the ship's stern.",
        "Curators said the exhibition would grow as conservation work continues.",
        "Entry to the new gallery is free on the first Sunday of each month.",
    ],
    [
        "The Mill Street bakery has announced it will close for a month of renovation.",
        "The owners plan to replace the floor and install a second oven next to the old one.",
        "Regular customers will be able to buy bread from a market stall during the works.",
        "The bakery expects to reopen in time for the spring holidays.",
    ],
    [
        "The first trams have begun test runs on the airport line at night.",
        "Engineers are checking the signalling system section by section.",
        "The authority said passengers could ride the line by the end of next year.",
        "An independent review of the project's management has been ordered by the "
        "transport minister.",
    ],
    [
        "The children's wing has treated more than five thousand patients in its first year.",
        "Doctors said waiting times in the emergency department had fallen by a third.",
        "The hospital is now raising money for a new maternity unit.",
        "Volunteers run a reading programme in the wing's school room every afternoon.",
    ],
]

_NAV_A = "Home News Sport Business Culture Opinion Weather Contact"
_NAV_B = "Latest Local World Money Life Video Podcasts Subscribe Sign in"
_RELATED = [title for title, _ in STORIES]


def _page_a(title: str, paragraphs: list[str], extra: str = "") -> str:
    """The site's design when the article was cited."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    related = "".join(f"<li><a href='/s/{i}'>{escape(t)}</a></li>" for i, t in enumerate(_RELATED))
    return (
        f"<!doctype html><html><head><title>{escape(title)} - The Daily Courier</title>"
        "<script>var tracking = {id: 42};</script><style>body{font:16px serif}</style></head>"
        f"<body><header><nav>{_NAV_A}</nav></header><main><article><h1>{escape(title)}</h1>"
        f"<p class='byline'>By Staff Reporter</p>{body}{extra}</article>"
        f"<aside><h2>Most read</h2><ul>{related}</ul></aside></main>"
        "<footer>© The Daily Courier. All rights reserved. Privacy Terms Cookies</footer>"
        "</body></html>"
    )


def _page_b(title: str, paragraphs: list[str]) -> str:
    """The site after a redesign: other markup, menus, boxes and title suffix."""
    body = "".join(f"<div class='para'><p>{escape(p)}</p></div>" for p in paragraphs)
    return (
        f"<!doctype html><html lang='en'><head><title>{escape(title)} | Courier News</title>"
        "<meta name='viewport' content='width=device-width'></head><body>"
        "<div id='cookie'>We use cookies to improve your experience. Accept all</div>"
        f"<div class='top'><nav>{_NAV_B}</nav></div>"
        f"<div class='content'><article class='story'><h1 class='headline'>{escape(title)}</h1>"
        f"<div class='story-body'>{body}</div></article>"
        "<section class='newsletter'>Get the morning briefing in your inbox every day</section>"
        "</div><footer><p>Courier Media Group 2024</p><p>About us Careers Advertise</p></footer>"
        "</body></html>"
    )


def _home() -> str:
    teasers = "".join(
        f"<article><h2><a href='/s/{i}'>{escape(t)}</a></h2><p>{escape(p[0][:90])}…</p></article>"
        for i, (t, p) in enumerate(STORIES)
    )
    return (
        "<!doctype html><html><head><title>The Daily Courier - News, sport and weather</title>"
        f"</head><body><header><nav>{_NAV_A}</nav></header><main><h1>Top stories</h1>"
        f"{teasers}</main><footer>© The Daily Courier</footer></body></html>"
    )


_PARKED = (
    "<!doctype html><html><head><title>dailycourier-news.com is for sale</title></head><body>"
    "<h1>This domain may be for sale</h1><p>Buy this domain today. The owner of "
    "dailycourier-news.com has listed it for sale. Make an offer through our secure "
    "marketplace with buyer protection and fast transfer.</p><p>Related searches: "
    "news today, local newspaper, weather forecast, breaking news, online courses</p>"
    "</body></html>"
)

_COMMENTS = (
    "<section class='comments'><h2>Comments (3)</h2>"
    "<div class='comment'><p>Finally some good news for the neighbourhood.</p></div>"
    "<div class='comment'><p>I will believe it when I see it happen.</p></div>"
    "<div class='comment'><p>Does anyone know where the meeting is held?</p></div></section>"
)


@dataclass(frozen=True)
class Pair:
    name: str  # story number and transformation, e.g. "2-redesigned"
    then: str
    now: str
    drifted: bool


def pairs() -> list[Pair]:
    found = []
    for i, (title, text) in enumerate(STORIES):
        then = _page_a(title, text)
        edited = list(text)
        edited[2] = edited[2].replace(" the ", " their ", 1)  # a word changed
        edited[4] = "In a statement, " + edited[4][0].lower() + edited[4][1:]  # reworded
        edited[5] = edited[5].replace(",", "", 1)  # punctuation
        corrected = [
            *text,
            "Update: this article has been updated with comments from local officials.",
            "Correction: an earlier version of this article gave the wrong day of the week "
            "for the announcement.",
        ]
        revised = list(text)
        revised[3] = FOLLOW_UPS[i][1]  # two sentences replaced by new ones
        revised[6] = FOLLOW_UPS[i][2]
        other_title, other_text = STORIES[(i + 1) % len(STORIES)]
        follow = FOLLOW_UPS[i]
        found += [
            Pair(f"{i}-same", then, then, False),
            Pair(f"{i}-edited", then, _page_a(title, edited), False),
            Pair(f"{i}-corrected", then, _page_a(title, corrected), False),
            Pair(f"{i}-redesigned", then, _page_b(title, text), False),
            Pair(f"{i}-comments", then, _page_a(title, text, _COMMENTS), False),
            Pair(f"{i}-revised", then, _page_a(title, revised), False),
            Pair(f"{i}-replaced", then, _page_a(other_title, other_text), True),
            Pair(f"{i}-parked", then, _PARKED, True),
            Pair(f"{i}-home", then, _home(), True),
            Pair(f"{i}-rewritten", then, _page_a(title, follow), True),
            Pair(
                f"{i}-paywalled",
                then,
                _page_a(title, [text[0], "Subscribe to keep reading. Already a member? Sign in."]),
                True,
            ),
            Pair(f"{i}-trimmed", then, _page_a(title, text[:3]), True),
        ]
    return found
