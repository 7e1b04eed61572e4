"""Importing a members list: 100,000 rows read, checked, dry-run, written and invited.

Usage:
  .venv/bin/python bench/bench_import.py [--rows 100000] [--db postgres|sqlite]
  (postgres: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/import_bench,
  recreated; sqlite: a new file in a temporary directory)

Builds a nation with two regions and twenty branches (each with its assembly), a national
officer and 5,000 members already there, then a CSV with distinct names and addresses in
which some rows are bad as CRM exports are: 1% repeat an address earlier in the file, 1%
are members already, 0.5% have a broken address, 0.2% no name, 0.2% a branch that does not
exist, 0.1% a formula in the name. It times, through the services the pages call: the
upload (reading and checking every row), the dry run, confirming, the worker's import
(chunks of 1,000 members, their addresses and assembly seats), and the invitation emails
(the email task's work for every new member, into Django's in-memory mailbox). Exits
non-zero when the members written, the rows refused or the invitations differ from what
the file says they should be.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch import recreate_database, scratch_url

FIRST = [
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret",
    "Dennis", "Radia", "Tim", "Sophie", "John", "Karen", "Niklaus", "Hedy", "Claude",
    "Annie", "Tony", "Mary", "Leslie", "Shafi", "Whitfield", "Adele", "Jean", "Katherine",
    "Dorothy", "Sister", "Carol",
]  # fmt: skip
LAST = [
    "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
    "Hamilton", "Ritchie", "Perlman", "Berners-Lee", "Wilson", "McCarthy", "Jones", "Wirth",
    "Lamarr", "Shannon", "Easley", "Hoare", "Kenneth", "Lamport", "Goldwasser", "Diffie",
    "Goldberg", "Sammet", "Johnson", "Vaughan", "Keller", "Shaw",
]  # fmt: skip
EXISTING = 5_000


def build():
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.hashers import make_password

    from commonweal.members.models import Member
    from commonweal.organisation.models import BodyMembership, Unit
    from commonweal.organisation.selectors import assembly_of
    from commonweal.organisation.services import body_membership_add, unit_create

    nation = unit_create(name="Nation", kind=Unit.Kind.NATIONAL)
    branches = []
    for r in range(2):
        region = unit_create(name=f"Region {r}", kind=Unit.Kind.REGION, parent=nation)
        for b in range(10):
            branches.append(
                unit_create(name=f"Branch {r}-{b}", kind=Unit.Kind.BRANCH, parent=region)
            )
    officer = Member.objects.create_user(
        email="officer@bench.test", password="x", full_name="Olu Officer", unit=branches[0]
    )
    officer.status = Member.Status.MEMBER
    officer.save(update_fields=["status"])
    body_membership_add(body=assembly_of(nation), member=officer, role=BodyMembership.Role.CHAIR)
    TOTP.activate(officer, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    Member.objects.bulk_create(
        (
            Member(
                email=f"existing{n}@bench.test",
                full_name=f"Existing {n}",
                unit=branches[n % len(branches)],
                status=Member.Status.MEMBER,
                password=make_password(None),
            )
            for n in range(EXISTING)
        ),
        batch_size=1000,
    )
    return nation, branches, officer


def members_list(rows: int, branches) -> tuple[bytes, dict[str, int]]:
    """The CSV, and how many rows of each kind it holds."""
    rng = random.Random(14)
    lines = ["Name,Email,Branch,Joined,Skills"]
    expect = {"add": 0, "existing": 0, "problem_rows": 0}
    emails: list[str] = []
    for n in range(rows):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        name = f"{first} {last} {n}"
        email = f"{first}.{last}.{n}@example.org".lower()
        branch = branches[rng.randrange(len(branches))].name
        joined = f"20{rng.randrange(10, 25)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}"
        roll = rng.random()
        if roll < 0.01 and emails:
            email = emails[rng.randrange(len(emails))]  # a repeat, not imported
            expect["problem_rows"] += 1
        elif roll < 0.02:
            email = f"existing{rng.randrange(EXISTING)}@bench.test"
            if email in emails:
                expect["problem_rows"] += 1
            else:
                expect["existing"] += 1
        elif roll < 0.025:
            email = email.replace("@", " at ")
            expect["problem_rows"] += 1
        elif roll < 0.027:
            name = ""
            expect["problem_rows"] += 1
        elif roll < 0.029:
            branch = "Atlantis"
            expect["problem_rows"] += 1
        elif roll < 0.030:
            name = f'=HYPERLINK("http://evil.example","{first}")'
            expect["problem_rows"] += 1
        else:
            expect["add"] += 1
        if "@" in email:
            emails.append(email)
        # Quoted as a spreadsheet writes it: inner quotes doubled (the formula row has both).
        cell = '"' + name.replace('"', '""') + '"' if "," in name or '"' in name else name
        lines.append(f'{cell},{email},{branch},{joined},"writing, organising"')
    return ("\n".join(lines) + "\n").encode(), expect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args()
    if args.db == "postgres":
        url = scratch_url("import_bench")
        recreate_database(url)
    else:
        path = Path(tempfile.mkdtemp(prefix="import-bench-")) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.config.settings")
        os.environ.setdefault("COMMONWEAL_DATA_DIR", str(path.parent))
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    call_command("migrate", verbosity=0)
    from commonweal.members.emails import email_import_invitations
    from commonweal.members.models import Member
    from commonweal.members.services import imports

    nation, branches, officer = build()
    data, expect = members_list(args.rows, branches)
    load = os.getloadavg()
    print(
        f"{args.db}: {args.rows:,} rows, {len(data) / 1e6:.1f} MB; load average "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
    print(f"{'step':<22} {'seconds':>8}", flush=True)
    timings = {}
    started = time.perf_counter()
    member_import = imports.member_import_upload(
        actor=officer, unit=nation, name="members.csv", data=data
    )
    timings["upload and check"] = time.perf_counter() - started
    print(f"{'upload and check':<22} {timings['upload and check']:>8.1f}", flush=True)
    started = time.perf_counter()
    plan = imports.member_import_check(actor=officer, member_import=member_import)
    timings["dry run"] = time.perf_counter() - started
    started = time.perf_counter()
    imports.member_import_confirm(actor=officer, member_import=member_import)
    timings["confirm"] = time.perf_counter() - started
    before = set(Member.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    done = imports.member_import_run(import_id=member_import.pk)
    timings["import (worker)"] = time.perf_counter() - started
    new_ids = sorted(set(Member.objects.values_list("pk", flat=True)) - before)
    started = time.perf_counter()
    sent = sum(
        email_import_invitations.call(new_ids[i : i + imports.CHUNK])
        for i in range(0, len(new_ids), imports.CHUNK)
    )
    timings["invitations (email)"] = time.perf_counter() - started
    for step, seconds in list(timings.items())[1:]:
        print(f"{step:<22} {seconds:>8.1f}")
    total = sum(timings.values())
    print(f"{'total':<22} {total:>8.1f}   ({args.rows / total:,.0f} rows/s)")
    problem_rows = len({row[0] for row in plan.problems})
    print(
        f"added {done.added:,} (expected {expect['add']:,}), already members {done.skipped:,} "
        f"(expected {expect['existing']:,}), rows refused {problem_rows:,} "
        f"(expected {expect['problem_rows']:,}), invitations {sent:,}"
    )
    wrong = (
        done.added != expect["add"]
        or done.skipped != expect["existing"]
        or problem_rows != expect["problem_rows"]
        or sent != done.added
        or len(new_ids) != done.added
    )
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
