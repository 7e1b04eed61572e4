"""Outside organisations in struggles and interventions: named on both sides, and the lists
filtered by unit subtree, status and country, with their breakdown tables."""

from datetime import timedelta

import pytest
from django.urls import reverse

from commonweal.alliances import services as alliances
from commonweal.core.errors import Refused
from commonweal.interventions import services
from commonweal.interventions.models import Intervention, Struggle


@pytest.fixture
def unions(chair, org, make_officer, now):
    national = make_officer(org.nation)
    rmt = alliances.organisation_create(
        actor=chair, unit=org.leeds, name="Leeds Bus Union", kind="union", country="GB"
    )
    verdi = alliances.organisation_create(
        actor=national, unit=org.nation, name="Verkehr Verdi", kind="union", country="DE"
    )
    return rmt, verdi


def test_a_struggle_names_its_organisations_and_their_page_lists_it(
    client, chair, org, unions, members, now
):
    rmt, _verdi = unions
    strike = services.struggle_create(
        by=chair,
        title="Depot strike",
        kind="strike",
        unit=org.leeds,
        since=now.date(),
        organisations=[rmt],
    )
    assert strike.country == "GB"
    client.force_login(members[0])
    page = client.get(reverse("interventions:struggle", args=[strike.pk])).content.decode()
    assert "Leeds Bus Union" in page
    page = client.get(reverse("alliances:detail", args=[rmt.pk])).content.decode()
    assert "Depot strike" in page


def test_another_branch_sees_the_organisation_but_not_leeds_struggle_in_it(
    client, chair, org, unions, make_member, now
):
    rmt, _ = unions
    services.struggle_create(
        by=chair,
        title="Depot strike",
        kind="strike",
        unit=org.leeds,
        since=now.date(),
        organisations=[rmt],
    )
    client.force_login(make_member(unit=org.brighton))
    page = client.get(reverse("alliances:detail", args=[rmt.pk])).content.decode()
    assert "Leeds Bus Union" in page
    assert "Depot strike" not in page


def test_partners_in_an_intervention_are_set_by_its_officers_and_shown_on_both_sides(
    client, chair, plan, unions, members
):
    _, verdi = unions
    intervention = plan()
    client.force_login(chair)
    response = client.post(
        reverse("interventions:partners", args=[intervention.pk]),
        {"organisations": "verkehr verdi"},
    )
    assert response.status_code == 302
    assert list(intervention.organisations.all()) == [verdi]
    page = client.get(reverse("alliances:detail", args=[verdi.pk])).content.decode()
    assert "Leaflet the depot" in page
    client.force_login(members[0])
    response = client.post(
        reverse("interventions:partners", args=[intervention.pk]), {"organisations": ""}
    )
    assert response.status_code == 403
    assert list(intervention.organisations.all()) == [verdi]


def test_an_unknown_organisation_is_refused_beside_the_field_and_nothing_is_planned(
    client, chair, strike, assembly, now
):
    client.force_login(chair)
    response = client.post(
        reverse("interventions:plan", args=[strike.pk]),
        {
            "title": "Leaflet",
            "kind": "leaflet",
            "body": assembly.pk,
            "aims": "Reach the night shift.",
            "assess_on": (now.date() + timedelta(days=5)).isoformat(),
            "organisations": "Nobody We Know",
        },
    )
    assert response.status_code == 200
    assert "No outside organisation is recorded as Nobody We Know." in response.content.decode()
    assert Intervention.objects.count() == 0


def test_a_country_that_is_not_a_code_is_refused(chair, org, now):
    with pytest.raises(Refused) as refused:
        services.struggle_create(
            by=chair, title="X", kind="strike", unit=org.leeds, since=now.date(), country="Germany"
        )
    assert refused.value.field == "country"
    assert Struggle.objects.count() == 0


def test_lists_filter_by_country_through_the_struggle_or_its_organisations(
    client, chair, org, unions, plan, strike, make_officer, now
):
    _rmt, verdi = unions
    national = make_officer(org.nation)
    services.struggle_create(
        by=national,
        title="Hamburg port strike",
        kind="strike",
        unit=org.nation,
        since=now.date(),
        country="DE",
    )
    services.struggle_update(
        struggle=strike,
        by=chair,
        status="ongoing",
        involvement="taking_part",
        organisations=[verdi],
    )
    plan()
    client.force_login(national)
    page = client.get(reverse("interventions:struggles"), {"country": "de"}).content.decode()
    assert "Hamburg port strike" in page
    assert "Leeds bus drivers" in page  # Verdi, from Germany, is in it
    page = client.get(
        reverse("interventions:struggles"), {"country": "DE", "unit": org.north.pk}
    ).content.decode()
    assert "Hamburg port strike" not in page
    page = client.get(reverse("interventions:list"), {"country": "FR"}).content.decode()
    assert "Leaflet the depot" not in page
    page = client.get(reverse("interventions:list"), {"country": "DE"}).content.decode()
    assert "Leaflet the depot" in page


def test_the_breakdowns_count_per_unit_and_country(chair, org, make_officer, now):
    from commonweal.interventions import selectors

    national = make_officer(org.nation)
    for title, unit, country in [
        ("A", org.leeds, "GB"),
        ("B", org.leeds, "GB"),
        ("C", org.nation, "DE"),
    ]:
        services.struggle_create(
            by=national, title=title, kind="strike", unit=unit, since=now.date(), country=country
        )
    tables = selectors.struggle_breakdowns(national)
    assert [(r["country"], r["total"], r["ongoing"]) for r in tables["by_country"]] == [
        ("DE", 1, 1),
        ("GB", 2, 2),
    ]
    assert {r["unit"]: r["total"] for r in tables["by_unit"]} == {
        org.nation.name: 1,
        org.leeds.name: 2,
    }


def test_the_api_filters_by_country_and_plans_with_partners(
    client, chair, strike, assembly, unions, now
):
    from commonweal.members.services import api_token_create

    _, verdi = unions
    headers = {
        "Authorization": f"Token {api_token_create(member=chair, name='w', scope='write')[1]}"
    }
    response = client.post(
        f"/api/interventions/struggles/{strike.pk}/interventions",
        {
            "title": "Solidarity greeting",
            "kind": "solidarity_action",
            "aims": "Link the two strikes.",
            "assess_on": (now.date() + timedelta(days=9)).isoformat(),
            "organisations": [verdi.pk],
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisations"] == [verdi.pk]
    rows = client.get("/api/interventions/?country=DE", headers=headers).json()["items"]
    assert [r["title"] for r in rows] == ["Solidarity greeting"]
    assert client.get("/api/interventions/?country=FR", headers=headers).json()["items"] == []
    rows = client.get("/api/interventions/struggles/?country=GB", headers=headers).json()["items"]
    assert rows[0]["country"] == "GB"
