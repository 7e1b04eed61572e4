"""An officer whose mandates end today: every power the authorisation matrix gives officers
over members works today and is refused tomorrow, before the clock's sweep has run.

The officer of the world (`world.py`) chairs the Leeds assembly and the transport section;
here both offices are held by mandates whose terms end today. Every page and API operation
that the table gives the officer and refuses an ordinary member of the same branch (decide
an application, suspend, call a meeting, open a vote, ...) is asked again at the same
moment tomorrow: each must be refused, and the sweep must change none of the answers.
"""

import calendar
import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.core import clock

from .test_authorisation_matrix import (
    FORM_DATA,
    REFUSALS,
    ROLES,
    ask,
    example,
    read_table,
    resolve_params,
    with_objects,
)

pytestmark = pytest.mark.django_db

OFFICER = ROLES.index("officer")
MEMBER = ROLES.index("member")


def start_of_term_ending(last_day: date, months: int) -> date:
    """The first day of a term of `months` whose last day is `last_day`."""
    after = last_day + timedelta(days=1)
    year, month = divmod(after.month - 1 - months, 12)
    year, month = after.year + year, month + 1
    return date(year, month, min(after.day, calendar.monthrange(year, month)[1]))


# What the world's officer may do, and the member may not, for reasons other than an office:
# kept when the terms end.
NOT_BY_OFFICE = {
    # They opened the temperature check (whoever opens one closes it).
    ("discussion:check_close", "POST"),
    ("/api/discussion/checks/{pk}/close", "POST"),
    # The member already belongs to the tendency; the officer does not.
    ("discussion:tendency_join", "POST"),
    ("/api/discussion/tendencies/{slug}/join", "POST"),
    # The member already has a calendar address: replacing it asks for a confirmation.
    ("news:calendar", "POST"),
    # The holder's own report form; filing on an ended mandate is refused (409).
    ("meetings:report", "GET"),
    # They remain a plain member of the transport section, whose members do its drafting
    # (but may no longer close its consultation before the deadline: that is the chair's).
    ("policy:draft_edit", "POST"),
    ("policy:invite", "GET"),
    # They belong to the Training Department (a membership, not an office), which writes
    # the world's course, and tutor its cohort.
    ("training:cohort", "GET"),
    ("training:progress", "GET"),
    ("training:progress", "POST"),
    ("training:overview", "GET"),
    ("training:overview", "POST"),
    ("training:leadership", "GET"),
    ("training:leadership", "POST"),
    # The department's authors' pages (writing, editing, publishing, cohorts).
    ("training:write", "GET"),
    ("training:write", "POST"),
    ("training:draft", "GET"),
    ("training:draft", "POST"),
    ("training:module_add", "GET"),
    ("training:module_add", "POST"),
    ("training:module_edit", "GET"),
    ("training:module_edit", "POST"),
    ("training:module_move", "POST"),
    ("training:module_remove", "GET"),
    ("training:module_remove", "POST"),
    ("training:case_attach", "POST"),
    ("training:case_detach", "POST"),
    ("training:publish", "GET"),
    ("training:publish", "POST"),
    ("training:withdraw", "GET"),
    ("training:withdraw", "POST"),
    ("training:cohort_add", "GET"),
    ("training:cohort_add", "POST"),
    ("training:cohort_close", "GET"),
    ("training:cohort_close", "POST"),
    # The member already takes the course; the officer does not.
    ("training:enrol", "POST"),
    ("/api/training/courses/{slug}/enrol", "POST"),
    # The member has already asked for a mentor (once at a time); the officer has not.
    ("development:mentoring_ask", "POST"),
    ("/api/development/mentoring", "POST"),
    # A member of the mentee's branch may offer to mentor her, office or none.
    ("development:mentor_offer", "POST"),
    ("/api/development/mentoring/{mentoring_id}/offer", "POST"),
}


def officer_powers(table) -> dict[tuple[str, str], list[str]]:
    """Routes the officer may use and a member of the same branch may not."""
    return {
        key: cells
        for key, cells in table.items()
        if cells[1 + OFFICER] not in REFUSALS and cells[1 + MEMBER] in REFUSALS
    }


def answers(world, routes, person, token) -> dict[tuple[str, str], str]:
    from commonweal.config.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    page = Client()
    page.force_login(person)
    by_token = Client(headers={"Authorization": f"Token {token}"})
    seen = {}
    for (name, method), cells in routes.items():
        kwargs = resolve_params(world, cells[0])
        if name.startswith("/api/"):
            url = name
            for key, value in kwargs.items():
                url = url.replace("{" + key + "}", value)
            operation = schema["paths"][name][method.lower()]
            content = operation.get("requestBody", {}).get("content", {})
            data = None
            if method != "GET" and "application/json" in content:
                body = example(content["application/json"]["schema"], components)
                data = json.dumps(with_objects(body, world))
            seen[(name, method)] = ask(by_token, method, url, data, False)[0]
        else:
            data = FORM_DATA.get(name, {"matrix": "1"}) if method == "POST" else None
            url = reverse(name, kwargs=kwargs)
            seen[(name, method)] = ask(page, method, url, data, False)[0]
    return seen


def test_an_officer_whose_mandates_ended_yesterday_has_no_officers_power(world):
    from commonweal.organisation import services
    from commonweal.organisation.models import BodyMembership, Mandate
    from commonweal.organisation.selectors import officer_memberships
    from commonweal.rulebook.selectors import current

    officer = world.roles["officer"]
    now = clock.now()
    today = now.date()
    first_day = start_of_term_ending(today, current()["offices.term_months"])
    # The world's officer is the Leeds assembly's secretary by a mandate granted today and
    # chairs the transport section without one: the first term is moved back to end today,
    # and the chair is granted by a mandate whose term ends today.
    assert Mandate.objects.filter(holder=officer).update(starts_on=first_day, ends_on=today) == 1
    BodyMembership.objects.filter(member=officer, body=world.body).update(
        role_from=first_day, role_until=today
    )
    mandate = services.mandate_grant(
        body=world.section, holder=officer, office="Chair", starts_on=first_day
    )
    assert mandate.ends_on == today
    assert set(officer_memberships(member=officer).values_list("role_until", flat=True)) == {today}

    powers = officer_powers(read_table())
    names = {name for name, _method in powers}
    assert {"members:suspend", "members:applications"} <= names
    assert any(name.startswith("/api/") for name in names)

    with clock.frozen(now):
        before = answers(world, powers, officer, world.tokens["officer"])
    assert before == {key: cells[1 + OFFICER] for key, cells in powers.items()}

    with clock.frozen(now + timedelta(days=1)):
        after = answers(world, powers, officer, world.tokens["officer"])
        kept = {key for key, got in after.items() if got not in REFUSALS}
        assert kept - NOT_BY_OFFICE == set(), "powers kept after the term ended"

        assert services.mandates_sweep()["lapsed"] == 2
        assert answers(world, powers, officer, world.tokens["officer"]) == after
