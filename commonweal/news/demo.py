"""Demo news across scopes (some public) and notices on a few branch boards."""

from datetime import timedelta

from commonweal.core import clock
from commonweal.news.models import NewsItem, Notice
from commonweal.organisation.selectors import officers_of_unit

NEWS = [
    ("national", True, "Conference dates announced", "Our national conference meets in **March**."),
    ("national", True, "Policy on free public transport published", "Members approved it."),
    ("national", False, "New membership system is live", "Tell us what you think."),
    ("national", False, "Training courses open for enrolment", "Materialist dialectics, part one."),
    ("north", True, "North regional rally", "Leeds Town Hall, Saturday at noon."),
    ("north", False, "Regional committee report", "The committee met on Tuesday."),
    ("midlands", False, "Midlands canvassing weekend", "Meet at Birmingham New Street."),
    ("south", True, "South coast housing campaign", "Join the tenants' union march."),
    ("leeds", False, "Leeds branch meeting moved", "We now meet on **Thursdays**."),
    ("leeds", True, "Leeds stall at the market", "Come and help on Saturday."),
    ("brighton", False, "Brighton social", "Quiz night at the usual place."),
    ("bristol", False, "Bristol reading group", "We start *Capital* next week."),
]
NOTICES = [
    ("leeds", "Lift share to conference", "Two seats from Leeds, leaving Friday at 5 pm."),
    ("leeds", "Banner painting", "Bring old sheets and paint, Sunday afternoon."),
    ("york", "Room for a visiting comrade", "A spare room for a week in March."),
    ("brighton", "Leaflets to collect", "Boxes at the office, please take a round."),
    ("north", "Childcare at the regional rally", "Volunteers wanted for the crèche."),
]


def load(ctx) -> None:
    now = clock.now()
    fallback = ctx.people.get("admin")
    items = []
    for index, (slug, public, title, body) in enumerate(NEWS):
        unit = ctx.units[slug]
        author = officers_of_unit(unit).first() or fallback
        items.append(
            NewsItem(
                title=title,
                body=body,
                unit=unit,
                is_public=public,
                author=author,
                published_at=now - timedelta(days=index * 2, hours=ctx.rng.randint(0, 12)),
                rulebook_version=1,
            )
        )
    NewsItem.objects.bulk_create(items)
    member = ctx.people.get("member")
    notices = []
    for slug, title, text in NOTICES:
        unit = ctx.units[slug]
        author = unit.members.filter(status="member").first() or member
        notices.append(
            Notice(
                unit=unit,
                title=title,
                text=text,
                author=author,
                posted_at=now - timedelta(days=ctx.rng.randint(0, 5)),
                expires_on=(now + timedelta(days=30)).date(),
            )
        )
    Notice.objects.bulk_create(notices)
    ctx.say(f"  news: {len(items)} items, {len(notices)} notices")
