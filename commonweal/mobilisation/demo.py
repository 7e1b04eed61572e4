"""Demo: a petition backing the Leeds Bus Users' Campaign in the bus drivers' strike, with
confirmed signatures from across the North (matched to branches by postcode area), a
demonstration with stewards' and leafleters' shifts, and a pledge; the North's postcode
areas listed by its officers."""

from datetime import timedelta

from commonweal.core import clock
from commonweal.interventions.models import Struggle

from . import services
from .models import Signup

PLACES = {"leeds": ["LS"], "york": ["YO"], "sheffield": ["S"], "newcastle": ["NE"]}
FIRST = ["Ada", "Bilal", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jo"]
LAST = ["Walker", "Khan", "Li", "Price", "Okafor", "Reid", "Shaw", "Novak"]
POSTCODES = ["LS6 3AB", "LS11 5QE", "LS2 7HY", "YO1 7HH", "S1 2BJ", "NE1 4ST", "LS8 2PL"]


def _form_shown(moment):
    """The sign form as shown to a person a minute before they sent it."""
    with clock.frozen(moment - timedelta(minutes=1)):
        return services.form_started()


def load(ctx) -> None:
    now = clock.now()
    leeds = ctx.units["leeds"]
    secretary = ctx.people["leeds_secretary"]
    for branch, areas in PLACES.items():
        for area in areas:
            services.place_add(
                actor=ctx.people["admin"], unit=ctx.units[branch], kind="postcode", value=area
            )
    strike = Struggle.objects.filter(title="Leeds bus drivers' strike").first()
    with clock.frozen(now - timedelta(days=12)):
        petition = services.action_create(
            actor=secretary,
            unit=leeds,
            kind="petition",
            title="Back the drivers, save our buses",
            summary=(
                "With the Leeds Bus Users' Campaign: a fair deal for the drivers and no cuts "
                "to the routes passengers depend on."
            ),
            text=(
                "The company answers the drivers' strike by threatening to cut routes. "
                "Passengers and drivers stand together: **settle the dispute fairly and "
                "keep every route running.**"
            ),
            target="West Yorkshire Combined Authority and First Leeds",
            goal=500,
            struggle=strike,
        )
        petition = services.action_open(actor=secretary, action=petition)
    for n in range(60):
        name = f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}"
        moment = now - timedelta(days=11, hours=-4 * n)
        started = _form_shown(moment)
        with clock.frozen(moment):
            services.signup_sign(
                action=petition,
                name=name,
                email=f"signer{n}@example.org",
                postcode=POSTCODES[n % len(POSTCODES)],
                purposes=["campaign", "branch"] if n % 3 == 0 else ["campaign"],
                started=started,
            )
            signup = Signup.objects.get(action=petition, email=f"signer{n}@example.org")
            if n % 6 != 5:
                services.signup_confirm(token=services.signup_token(signup))

    with clock.frozen(now - timedelta(days=5)):
        march = services.action_create(
            actor=secretary,
            unit=leeds,
            kind="demonstration",
            title="March for our buses",
            summary="From the bus station to the Civic Hall, with the drivers.",
            text="Bring your family, your neighbours and a placard.",
            starts_at=now + timedelta(days=9),
            ends_at=now + timedelta(days=9, hours=3),
            place="Leeds City Bus Station, Dyer Street",
            capacity=2000,
            struggle=strike,
        )
        for role, people in (("Steward", 12), ("Leafleter", 20)):
            services.shift_add(
                actor=secretary,
                action=march,
                role=role,
                capacity=people,
                starts_at=march.starts_at - timedelta(hours=1),
                ends_at=march.ends_at,
            )
        march = services.action_open(actor=secretary, action=march)
    steward = march.shifts.get(role="Steward")
    for n in range(8):
        moment = now - timedelta(days=4, hours=-n)
        started = _form_shown(moment)
        with clock.frozen(moment):
            services.signup_sign(
                action=march,
                name=f"{FIRST[n]} {LAST[-1 - n % len(LAST)]}",
                email=f"marcher{n}@example.org",
                postcode=POSTCODES[n % len(POSTCODES)],
                shift=steward if n < 3 else None,
                started=started,
            )
            signup = Signup.objects.get(action=march, email=f"marcher{n}@example.org")
            services.signup_confirm(token=services.signup_token(signup))

    with clock.frozen(now - timedelta(days=3)):
        pledge = services.action_create(
            actor=secretary,
            unit=leeds,
            kind="pledge",
            title="I will not cross a picket line",
            summary="Passengers pledge to walk, cycle or share a lift on strike days.",
            target="if the drivers strike again",
            goal=1000,
            struggle=strike,
        )
        services.action_open(actor=secretary, action=pledge)
