"""The capacities register's search at 2,000 members and at 1,000,000: time and queries.

Usage:
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/register_bench \
    .venv/bin/python bench/bench_register.py [--small 2000] [--large 1000000] [--requests 20]

Builds the page benchmark's organisation (bench_pages.py: a nation, 10 regions, 100
branches; one member in fifty has the skill "Spanish translation"), signs in the chair of
the first region's assembly and asks the register for "spanish" in that region (a tenth of
the members) and, as the chair of the national assembly, in the whole nation. Reports the
median and p95 time and the number of queries at both sizes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pages import add_members, build_organisation, measure, settle
from scratch import recreate_database, scratch_url


def officer(unit, email: str):
    from commonweal.members.models import Member
    from commonweal.organisation.models import BodyMembership
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add

    member = Member.objects.create_user(email=email, password="x", full_name=email, unit=None)
    member.status = Member.Status.MEMBER
    member.save(update_fields=["status"])
    body_membership_add(body=assembly_of(unit), member=member, role=BodyMembership.Role.CHAIR)
    return member


def no_second_factor() -> None:
    """The officers sign in without an authenticator here, as in the demo's rulebook."""
    import copy

    from commonweal.rulebook.selectors import current
    from commonweal.rulebook.services import rulebook_bring_into_force, rulebook_stage

    rules = copy.deepcopy(current().rules)
    rules["members"]["office_holders_need_two_factor"] = False
    rulebook_bring_into_force(version=rulebook_stage(rules=rules, staged_by=None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    recreate_database(scratch_url("register_bench"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    no_second_factor()
    nation, branches, _sections = build_organisation()
    region = branches[0].get_parent()
    regional, national = officer(region, "region@bench.test"), officer(nation, "nation@bench.test")
    url = reverse("members:register")
    results = {}
    done = 0
    for label, members in (("small", args.small), ("large", args.large)):
        started = time.perf_counter()
        add_members(done, members, [b.pk for b in branches])
        done = members
        settle()
        print(f"{label}: {members:,} members in {time.perf_counter() - started:.0f} s", flush=True)
        figures = {}
        for who, viewer, unit in (("region", regional, region), ("nation", national, nation)):
            client = Client()
            client.force_login(viewer)
            query = f"?unit={unit.pk}&words=spanish"
            figures.update(measure(client, {f"register, {who}": url + query}, args.requests))
        results[label] = figures
    print(f"\n{'search':<18} {'small med':>9} {'q':>3}   {'large med':>9} {'q':>3}")
    for name, (s_med, _s_p95, s_q) in results["small"].items():
        l_med, l_p95, l_q = results["large"][name]
        print(
            f"{name:<18} {s_med * 1000:>7.1f}ms {s_q:>3}   {l_med * 1000:>7.1f}ms {l_q:>3}"
            f"   p95 {l_p95 * 1000:.1f}ms"
        )


if __name__ == "__main__":
    main()
