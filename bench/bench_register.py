"""The capacities register's search (also by completed course) and a course's progress page
at 2,000 members and at 1,000,000: time and queries.

Usage:
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/register_bench \
    .venv/bin/python bench/bench_register.py [--small 2000] [--large 1000000] [--requests 20]

Builds the page benchmark's organisation (bench_pages.py: a nation, 10 regions, 100
branches; one member in fifty has the skill "Spanish translation"), signs in the chair of
the first region's assembly and asks the register for "spanish" in that region (a tenth of
the members) and, as the chair of the national assembly, in the whole nation; then the same
narrowed to those who completed the "Facilitation" course (one member in ten completed it,
one in ten is taking it, at modules 0-2 of 3), and that course's progress page as one of the
training department who wrote it. Reports the median and p95 time and the number of
queries at both sizes.
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


def facilitation_course(nation):
    """The course the register is narrowed by, written by the training department, and the
    member of the department who reads its progress page."""
    from commonweal.members.models import Member
    from commonweal.organisation.models import Body
    from commonweal.organisation.services import body_create, body_membership_add
    from commonweal.training import services

    department = body_create(name="Training Department", kind=Body.Kind.DEPARTMENT, unit=nation)
    author = Member.objects.create_user(
        email="author@bench.test", password="x", full_name="Author", unit=None
    )
    author.status = Member.Status.MEMBER
    author.save(update_fields=["status"])
    body_membership_add(body=department, member=author)
    course = services.course_create(
        actor=author, body=department, unit=nation, title="Facilitation", slug="facilitation"
    )
    for n in range(3):
        services.module_save(actor=author, course=course, title=f"Part {n + 1}", text="Read.")
    services.course_publish(actor=author, course=course)
    course.refresh_from_db()
    return course, author


def add_learners(course, after_id: int) -> None:
    """Members with an id above `after_id`: one in ten completed the course, one in ten is
    taking it (at module 1, 2 or 3)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO training_enrolment (course_id, version_id, member_id, status,
                enrolled_at, modules_done, completed_at, completed_version_id)
            SELECT %s, %s, m.id,
                CASE WHEN m.id %% 10 = 0 THEN 'completed' ELSE 'active' END, now(),
                CASE WHEN m.id %% 10 = 0 THEN 3 ELSE m.id %% 3 END,
                CASE WHEN m.id %% 10 = 0 THEN now() END,
                CASE WHEN m.id %% 10 = 0 THEN %s END
            FROM members_member m
            WHERE m.id > %s AND m.email LIKE 'm%%@bench.test' AND m.id %% 10 IN (0, 1)
            """,
            [course.pk, course.current_version_id, course.current_version_id, after_id],
        )


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

    from commonweal.members.models import Member

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    no_second_factor()
    nation, branches, _sections = build_organisation()
    region = branches[0].get_parent()
    regional, national = officer(region, "region@bench.test"), officer(nation, "nation@bench.test")
    course, author = facilitation_course(nation)
    url = reverse("members:register")
    progress = reverse("training:progress", args=[course.slug])
    results = {}
    done = 0
    for label, members in (("small", args.small), ("large", args.large)):
        started = time.perf_counter()
        last_id = Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        add_members(done, members, [b.pk for b in branches])
        add_learners(course, last_id)
        done = members
        settle()
        print(f"{label}: {members:,} members in {time.perf_counter() - started:.0f} s", flush=True)
        figures = {}
        for who, viewer, unit in (("region", regional, region), ("nation", national, nation)):
            client = Client()
            client.force_login(viewer)
            query = f"?unit={unit.pk}&words=spanish"
            pages = {
                f"register, {who}": url + query,
                f"register+course, {who}": f"{url}{query}&course={course.slug}",
            }
            figures.update(measure(client, pages, args.requests))
        client = Client()
        client.force_login(author)
        figures.update(measure(client, {"course progress": progress}, args.requests))
        results[label] = figures
    print(f"\n{'page':<24} {'small med':>9} {'q':>3}   {'large med':>9} {'q':>3}")
    for name, (s_med, _s_p95, s_q) in results["small"].items():
        l_med, l_p95, l_q = results["large"][name]
        print(
            f"{name:<24} {s_med * 1000:>7.1f}ms {s_q:>3}   {l_med * 1000:>7.1f}ms {l_q:>3}"
            f"   p95 {l_p95 * 1000:.1f}ms"
        )


if __name__ == "__main__":
    main()
