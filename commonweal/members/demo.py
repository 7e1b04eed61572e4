"""Demo members: believable names, bulk-inserted so a million loads on a laptop."""

import copy
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from commonweal.core import clock
from commonweal.core.demo import DEMO_PASSWORD
from commonweal.members.models import Member, MembershipApplication
from commonweal.organisation.models import BodyMembership, Unit
from commonweal.organisation.selectors import assembly_of
from commonweal.organisation.services import mandate_grant, referral_create
from commonweal.rulebook.selectors import current
from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage

FIRST = [
    "Ana",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Femi",
    "Grace",
    "Hamid",
    "Isla",
    "Jack",
    "Kofi",
    "Lena",
    "Maya",
    "Nikhil",
    "Olu",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Xavier",
    "Yara",
    "Zoe",
    "Aisha",
    "Bartek",
    "Ciara",
    "Dmitri",
    "Esme",
    "Farah",
    "Gareth",
    "Hana",
    "Ivan",
    "Joy",
    "Kemal",
    "Lucia",
    "Marek",
    "Niamh",
    "Omar",
    "Pip",
    "Rhys",
    "Saoirse",
    "Tom",
    "Ursula",
    "Vikram",
    "Will",
    "Yusuf",
    "Zainab",
]
LAST = [
    "Ahmed",
    "Brown",
    "Costa",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Mensah",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walker",
    "Xu",
    "Young",
    "Zielinski",
    "Adeyemi",
    "Byrne",
    "Chen",
    "Doyle",
    "Ellis",
    "Flores",
    "Gallagher",
    "Hussain",
    "Ivanova",
    "Kowalski",
    "Lopez",
    "Murphy",
    "Nguyen",
    "Okafor",
    "Price",
    "Reid",
    "Shah",
    "Thomas",
]
SKILLS = [
    "public speaking",
    "writing",
    "translation",
    "web design",
    "bookkeeping",
    "organising",
    "video editing",
    "research",
    "first aid",
    "facilitation",
    "data analysis",
    "legal advice",
]
INTERESTS = [
    "transport",
    "health",
    "housing",
    "education",
    "environment",
    "trade unions",
    "international solidarity",
    "culture",
    "history",
    "economics",
]
BATCH = 10_000

NAMED = {
    "admin": ("admin@commonweal.demo", "Rosa Adeyemi", "leeds"),
    "transport_chair": ("transport.chair@commonweal.demo", "Maya Singh", "york"),
    "leeds_secretary": ("leeds.secretary@commonweal.demo", "Tom Gallagher", "leeds"),
    "member": ("member@commonweal.demo", "Ana Costa", "leeds"),
}


def load(ctx) -> None:
    rng = ctx.rng
    branches = list(Unit.objects.filter(kind=Unit.Kind.BRANCH).order_by("path"))
    assemblies = {unit.pk: assembly_of(unit) for unit in branches}
    password = make_password(DEMO_PASSWORD)
    now = clock.now()
    # Branch sizes follow a skewed distribution, as real branches do.
    weights = [rng.uniform(0.5, 3.0) for _ in branches]
    for key, (email, name, branch) in NAMED.items():
        member = Member.objects.create(
            email=email,
            full_name=name,
            unit=ctx.units[branch],
            status=Member.Status.MEMBER,
            joined_at=now - timedelta(days=rng.randint(400, 2000)),
            password=password,
            skills=rng.sample(SKILLS, 2),
            interests=rng.sample(INTERESTS, 2),
            is_staff=key == "admin",
            is_superuser=key == "admin",
        )
        EmailAddress.objects.create(user=member, email=email, primary=True, verified=True)
        BodyMembership.objects.create(
            body=assemblies[member.unit_id], member=member, since=member.joined_at.date()
        )
        ctx.people[key] = member
    total = ctx.members - len(NAMED)
    started = time.monotonic()
    done = 0
    while done < total:
        size = min(BATCH, total - done)
        batch = []
        for i in range(done, done + size):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            batch.append(
                Member(
                    email=f"{first.lower()}.{last.lower().replace(chr(39), '')}.{i}@members.demo",
                    full_name=f"{first} {last}",
                    unit=rng.choices(branches, weights)[0],
                    status=Member.Status.MEMBER,
                    joined_at=now - timedelta(days=rng.randint(1, 3000)),
                    password=password,
                    skills=rng.sample(SKILLS, rng.randint(0, 3)),
                    interests=rng.sample(INTERESTS, rng.randint(0, 3)),
                )
            )
        created = Member.objects.bulk_create(batch, batch_size=2000)
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=m, email=m.email, primary=True, verified=True) for m in created],
            batch_size=2000,
        )
        BodyMembership.objects.bulk_create(
            [
                BodyMembership(body=assemblies[m.unit_id], member=m, since=m.joined_at.date())
                for m in created
            ],
            batch_size=2000,
        )
        done += size
        ctx.progress("members", done, total, started)
    _offices(ctx, branches, assemblies)
    _history(ctx, branches)
    _register(ctx)
    _demo_rulebook()
    ctx.logins.extend((m.email, key) for key, m in ctx.people.items())


def _demo_rulebook() -> None:
    """Rulebook v2 for trying the demo: shown in its history, with the reason."""
    rules = copy.deepcopy(current().rules)
    rules["title"] = "Demo rulebook"
    rules["members"]["office_holders_need_two_factor"] = False
    rules["policy"]["support_threshold_kind"] = "absolute"
    rules["policy"]["support_threshold"] = 25
    staged = rulebook_stage(
        rules=rules,
        staged_by=None,
        note="Demo only: officers sign in without an authenticator app, and 25 supporters "
        "launch a proposal whatever the size of the demo organisation.",
    )
    rulebook_bring_into_force(version=staged)


def _pick(unit: Unit, rng, exclude: set[int], joined_by) -> Member:
    """A member of the unit who had joined by `joined_by`: nobody holds an office, or sits
    in a body, from before they were a member."""
    ids = list(
        Member.objects.filter(unit=unit, status=Member.Status.MEMBER, joined_at__lt=joined_by)
        .exclude(pk__in=exclude)
        .values_list("pk", flat=True)[:200]
    )
    return Member.objects.get(pk=rng.choice(ids))


def _offices(ctx, branches, assemblies) -> None:
    rng = ctx.rng
    taken = {m.pk for m in ctx.people.values()}
    joined_by = clock.now() - timedelta(days=200)
    start = joined_by.date()
    committee = ctx.bodies["national-committee"]
    mandate_grant(body=committee, holder=ctx.people["admin"], office="Chair", starts_on=start)
    for office in ["Secretary", "Treasurer", "Organiser", "Education officer"]:
        holder = _pick(rng.choice(branches), rng, taken, joined_by)
        taken.add(holder.pk)
        mandate_grant(body=committee, holder=holder, office=office, starts_on=start)
    for unit in branches:
        for office in ["Chair", "Secretary"]:
            if unit.slug == "leeds" and office == "Secretary":
                holder = ctx.people["leeds_secretary"]
            else:
                holder = _pick(unit, rng, taken, joined_by)
            taken.add(holder.pk)
            mandate_grant(body=assemblies[unit.pk], holder=holder, office=office, starts_on=start)
    for subject in ["transport", "health", "housing", "education", "environment"]:
        section = ctx.bodies[subject]
        chair = (
            ctx.people["transport_chair"]
            if subject == "transport"
            else _pick(rng.choice(branches), rng, taken, joined_by)
        )
        taken.add(chair.pk)
        mandate_grant(body=section, holder=chair, office="Chair", starts_on=start)
        ctx.people[f"{subject}_chair"] = chair
        for _ in range(5):
            member = _pick(rng.choice(branches), rng, taken, joined_by)
            BodyMembership.objects.get_or_create(
                body=section, member=member, until=None, defaults={"since": start}
            )
    if ctx.people["member"].pk:
        BodyMembership.objects.get_or_create(
            body=ctx.bodies["transport"],
            member=ctx.people["member"],
            until=None,
            defaults={"since": start},
        )


def _register(ctx) -> None:
    """The capacities register: the printed member keeps her capacities for officers, a few
    Leeds members translate Spanish, and she has offered to help."""
    from commonweal.members.services import offer_make, profile_update

    ana = ctx.people["member"]
    profile_update(
        member=ana,
        capacities=["public speaking", "debt advice"],
        skills=["Spanish translation", "writing"],
        tags_for_officers=["capacities"],
    )
    leeds = Member.objects.filter(unit=ana.unit, status=Member.Status.MEMBER).exclude(
        pk__in=[m.pk for m in ctx.people.values()]
    )
    for member in leeds.order_by("pk")[:3]:
        profile_update(member=member, skills=[*member.skills, "Spanish translation"])
    offer_make(
        member=ana,
        title="Translate the bus campaign leaflet into Spanish",
        text="I can do it over a weekend.",
    )


def _history(ctx, branches) -> None:
    """A few applications, a suspension and a referral, so pages show some life."""
    rng = ctx.rng
    now = clock.now()
    applicant = Member.objects.create_user(
        email="applicant@commonweal.demo",
        password=DEMO_PASSWORD,
        full_name="Jo Fraser",
        unit=ctx.units["leeds"],
        status=Member.Status.APPLICANT,
    )
    EmailAddress.objects.create(user=applicant, email=applicant.email, primary=True, verified=True)
    MembershipApplication.objects.create(
        applicant=applicant,
        unit=ctx.units["leeds"],
        applied_at=now - timedelta(days=2),
        statement="I met your members at the bus campaign stall and want to help.",
    )
    for i in range(6):
        unit = rng.choice(branches)
        person = Member.objects.create_user(
            email=f"applicant{i}@members.demo",
            password=None,
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            unit=unit,
            status=Member.Status.APPLICANT,
        )
        MembershipApplication.objects.create(
            applicant=person, unit=unit, applied_at=now - timedelta(days=rng.randint(1, 9))
        )
    # One has waited longer than the rulebook allows: the officers' list marks it overdue,
    # and the platform's clock tells the region's officers once `make run` starts it.
    late = Member.objects.create_user(
        email="applicant-late@members.demo",
        password=None,
        full_name="Sam Okafor",
        unit=ctx.units["leeds"],
        status=Member.Status.APPLICANT,
    )
    MembershipApplication.objects.create(
        applicant=late, unit=ctx.units["leeds"], applied_at=now - timedelta(days=20)
    )
    referral_create(
        from_body=ctx.bodies["transport"],
        to_body=ctx.bodies["housing"],
        title="Bus routes to new housing estates",
        text="Our draft touches estate planning; we would value the Housing Section's view.",
        referred_by=ctx.people["transport_chair"],
    )
