"""Bringing an existing membership in: an officer's members list, checked, previewed, imported.

Upload (`member_import_upload`) reads the file and checks every row against the database
without writing a member; the preview shows what an import would do, and a dry run
(`member_import_check`) checks again, writing nothing. Confirming (`member_import_confirm`)
hands the import to the worker (`member_import_run`), which writes members a chunk at a
time, each chunk in its own transaction, and emails each new member a link to set their
password. An address that already has an account is left as it is, so an import run twice,
or interrupted and run again, adds each member once.
"""

import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonweal.core import clock
from commonweal.core.csv_export import FORMULA_START
from commonweal.core.errors import Conflict, NotPermitted, Refused
from commonweal.core.markdown import clean_plain, one_line
from commonweal.notifications.services import notify
from commonweal.organisation.models import Body, BodyMembership, Unit
from commonweal.record.services import record_append

from ..emails import send_import_invitations
from ..models import Member, MemberImport
from ..spreadsheets import read_table

# Members written per transaction: large enough for few round trips, small enough that
# a join racing the import waits only moments for the unique index on the address.
CHUNK = 1000
MAX_TAGS = 30
MAX_TAG_LENGTH = 60

# The fields an import reads, and the headings it recognises for each (compared in lower
# case with punctuation dropped). The unit's members list downloads use the first of each.
FIELDS: dict[str, tuple[str, ...]] = {
    "full_name": ("name", "full name", "fullname", "member name", "member"),
    "first_name": ("first name", "firstname", "given name", "forename"),
    "last_name": ("last name", "lastname", "surname", "family name"),
    "email": ("email", "e mail", "email address", "e mail address", "mail"),
    "unit": ("unit", "branch", "basic unit"),
    "joined": ("joined", "joined on", "member since", "join date", "date joined"),
    "capacities": ("capacities", "capacity"),
    "skills": ("skills",),
    "interests": ("interests",),
}
FIELD_LABELS = {
    "full_name": gettext_lazy("Name"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "unit": gettext_lazy("Branch"),
    "joined": gettext_lazy("Joined"),
    "capacities": gettext_lazy("Capacities"),
    "skills": gettext_lazy("Skills"),
    "interests": gettext_lazy("Interests"),
}
PROBLEMS = {
    "email_missing": gettext_lazy("no email address"),
    "email_invalid": gettext_lazy("not a valid email address"),
    "name_missing": gettext_lazy("no name"),
    "too_long": gettext_lazy("longer than 200 characters"),
    "unit_unknown": gettext_lazy("no open branch of that name in the unit you import into"),
    "unit_missing": gettext_lazy("no branch given, and the unit you import into is not a branch"),
    "joined_invalid": gettext_lazy("not a date in the past (write it as 2024-03-31)"),
    "formula": gettext_lazy("starts like a spreadsheet formula (=, +, -, @): not imported"),
    "tags": gettext_lazy("more than 30 entries"),
    "duplicate": gettext_lazy("the same address as row %(row)s: only the first is imported"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%dT%H:%M:%S")


def _heading(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def columns_guessed(header: list[str]) -> dict[str, int]:
    """Each field's column, by its heading; the first column that names a field takes it."""
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        heading = _heading(text)
        for name, headings in FIELDS.items():
            if heading in headings and name not in found:
                found[name] = index
                break
    return found


@dataclass
class Plan:
    """What an import of the file would do now: the rows it would add, and why not the rest."""

    to_add: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    existing: int = 0
    problems: list[list[Any]] = field(default_factory=list)


def _scope(unit: Unit) -> dict[str, Unit]:
    """The open branches an import into `unit` may name, by lower-case name and short name."""
    branches = Unit.objects.filter(
        path__startswith=unit.path, kind=Unit.Kind.BRANCH, closed_on=None
    )
    found: dict[str, Unit] = {}
    for branch in branches:
        found.setdefault(branch.slug.lower(), branch)
        found.setdefault(branch.name.strip().lower(), branch)
    return found


def _looks_like_formula(text: str) -> bool:
    return text.lstrip().startswith(FORMULA_START)


def _joined(text: str, today: date) -> date | None:
    try:
        day = date.fromisoformat(text[:10])  # the usual form, without strptime's cost
    except ValueError:
        for form in DATE_FORMATS:
            try:
                day = datetime.strptime(text, form).date()  # noqa: DTZ007 (a day, no time)
            except ValueError:
                continue
            break
        else:
            return None
    return day if day <= today else None


def _plain(text: str) -> str:
    """`clean_plain`, which only markup or an entity can change beyond `one_line`: most
    cells have neither, and 100,000 rows of names and tags are spared the sanitiser."""
    if "<" in text or "&" in text:
        return clean_plain(text)
    return one_line(text)


def _tags(text: str) -> list[str] | None:
    tags: list[str] = []
    if not text:
        return tags
    for part in text.replace(";", ",").split(","):
        tag = _plain(part)[:MAX_TAG_LENGTH]
        if tag and tag.lower() not in {t.lower() for t in tags}:
            tags.append(tag)
    return tags if len(tags) <= MAX_TAGS else None


def _clean_row(
    cells: list[str], columns: dict[str, int], branches: dict[str, Unit], target: Unit, today: date
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The member a row describes, and its problems as (field, code)."""

    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    problems: list[tuple[str, str]] = []
    for name in columns:
        if _looks_like_formula(cell(name)):
            problems.append((name, "formula"))
    if problems:
        return {}, problems
    email = cell("email").strip().lower()
    if not email:
        problems.append(("email", "email_missing"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(("email", "email_invalid"))
    full_name = _plain(cell("full_name")) or _plain(f"{cell('first_name')} {cell('last_name')}")
    if not full_name:
        problems.append(("full_name", "name_missing"))
    elif len(full_name) > 200:
        problems.append(("full_name", "too_long"))
    unit_name = cell("unit").strip().lower()
    unit = branches.get(unit_name) if unit_name else (target if target.is_basic else None)
    if unit is None:
        problems.append(("unit", "unit_unknown" if unit_name else "unit_missing"))
    joined = None
    if text := cell("joined").strip():
        joined = _joined(text, today)
        if joined is None:
            problems.append(("joined", "joined_invalid"))
    member: dict[str, Any] = {"email": email, "full_name": full_name, "unit": unit}
    member["joined"] = joined
    for name in ("capacities", "skills", "interests"):
        tags = _tags(cell(name))
        if tags is None:
            problems.append((name, "tags"))
        member[name] = tags or []
    return member, problems


def _plan(member_import: MemberImport) -> Plan:
    """Check every row against the file's other rows and the members already here."""
    plan = Plan()
    branches = _scope(member_import.unit)
    today = timezone.localdate(clock.now())
    first_row: dict[str, int] = {}
    good: list[tuple[int, dict[str, Any]]] = []
    for index, cells in enumerate(member_import.rows):
        if not cells:
            continue
        number = index + 2
        member, problems = _clean_row(
            cells, member_import.columns, branches, member_import.unit, today
        )
        email = member.get("email")
        if email and not any(name == "email" for name, _code in problems):
            if email in first_row:
                plan.problems.append([number, "email", "duplicate", first_row[email]])
                plan.problems.extend([number, name, code, None] for name, code in problems)
                continue
            first_row[email] = number
        if problems:
            plan.problems.extend([number, name, code, None] for name, code in problems)
            continue
        good.append((number, member))
    known: set[str] = set()
    emails = [member["email"] for _number, member in good]
    for start in range(0, len(emails), CHUNK):
        known.update(
            Member.objects.filter(email__in=emails[start : start + CHUNK]).values_list(
                "email", flat=True
            )
        )
    for number, member in good:
        if member["email"] in known:
            plan.existing += 1
        else:
            plan.to_add.append((number, member))
    return plan


def _may_import(actor: Any, unit: Unit) -> None:
    if not actor.has_perm("members.import_members", unit):
        raise NotPermitted(
            _("Only the officers of %(unit)s may import members into it.") % {"unit": unit}
        )


def _store_plan(member_import: MemberImport, plan: Plan) -> None:
    member_import.problems = plan.problems
    member_import.to_add = len(plan.to_add)
    member_import.existing = plan.existing


def member_import_upload(*, actor: Any, unit: Unit | None, name: str, data: bytes) -> MemberImport:
    """Read an officer's members list and check it; nothing is imported yet."""
    if unit is None or unit.closed_on:
        raise Refused(_("Choose the unit to import the members into."), field="unit")
    _may_import(actor, unit)
    header, rows = read_table(data, name)
    member_import = MemberImport(
        unit=unit,
        created_by=actor,
        created_at=clock.now(),
        file_sha256=hashlib.sha256(data).hexdigest(),
        header=header,
        rows=rows,
        row_count=sum(1 for row in rows if row),
        columns=columns_guessed(header),
    )
    _store_plan(member_import, _plan(member_import))
    member_import.save()
    return member_import


def _open_import(actor: Any, member_import: MemberImport) -> MemberImport:
    if member_import.created_by_id != getattr(actor, "pk", None):
        raise NotPermitted(_("Only the officer who uploaded this list may import it."))
    _may_import(actor, member_import.unit)
    if member_import.status != MemberImport.Status.PREVIEW:
        raise Conflict(_("This list has already been imported or discarded."))
    return member_import


def member_import_columns(
    *, actor: Any, member_import: MemberImport, columns: dict[str, int | None]
) -> MemberImport:
    """Say which of the file's columns holds which field, and check the rows again."""
    _open_import(actor, member_import)
    chosen = {
        name: index
        for name, index in columns.items()
        if name in FIELDS and index is not None and 0 <= index < len(member_import.header)
    }
    taken: dict[int, str] = {}
    for name, index in chosen.items():
        if index in taken:
            raise Refused(
                _("One column cannot be both %(a)s and %(b)s.")
                % {"a": FIELD_LABELS[taken[index]], "b": FIELD_LABELS[name]},
                field=name,
            )
        taken[index] = name
    member_import.columns = chosen
    _store_plan(member_import, _plan(member_import))
    member_import.save(update_fields=["columns", "problems", "to_add", "existing"])
    return member_import


def member_import_check(*, actor: Any, member_import: MemberImport) -> Plan:
    """The dry run: what the import would do if confirmed now. Writes nothing."""
    _open_import(actor, member_import)
    return _plan(member_import)


def _missing_columns(member_import: MemberImport) -> list[str]:
    columns = member_import.columns
    missing = []
    if "email" not in columns:
        missing.append("email")
    if "full_name" not in columns and not {"first_name", "last_name"} & set(columns):
        missing.append("full_name")
    return missing


def member_import_confirm(*, actor: Any, member_import: MemberImport) -> MemberImport:
    """Hand the checked list to the worker; the record binds the file without its contents."""
    if missing := _missing_columns(member_import):
        raise Refused(
            _("Say which column holds each member's %(field)s.")
            % {"field": FIELD_LABELS[missing[0]]},
            field=missing[0],
        )
    with transaction.atomic():
        member_import = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        _open_import(actor, member_import)
        plan = _plan(member_import)
        if not plan.to_add:
            raise Refused(_("No row of this list would add a member."))
        _store_plan(member_import, plan)
        member_import.status = MemberImport.Status.QUEUED
        member_import.save()
        record_append(
            kind="members.import_confirmed",
            subject=member_import,
            actor=actor,
            payload={
                "unit": member_import.unit_id,
                "file_sha256": member_import.file_sha256,
                "rows": member_import.row_count,
                "to_add": len(plan.to_add),
                "existing": member_import.skipped,
                "problem_rows": len({row[0] for row in plan.problems}),
            },
        )
        from ..tasks import import_members

        pk = member_import.pk
        transaction.on_commit(lambda: import_members.enqueue(pk))
    return member_import


def member_import_discard(*, actor: Any, member_import: MemberImport) -> MemberImport:
    """Drop an uploaded list without importing it: its rows are emptied at once."""
    with transaction.atomic():
        member_import = MemberImport.objects.select_for_update().get(pk=member_import.pk)
        _open_import(actor, member_import)
        member_import.status = MemberImport.Status.DISCARDED
        member_import.rows = []
        member_import.finished_at = clock.now()
        member_import.save(update_fields=["status", "rows", "finished_at"])
    return member_import


def member_imports_sweep(*, older_than_hours: int = 24) -> int:
    """Discard previews left unconfirmed for a day, so no uploaded rows linger."""
    cutoff = clock.now() - timedelta(hours=older_than_hours)
    return MemberImport.objects.filter(
        status=MemberImport.Status.PREVIEW, created_at__lt=cutoff
    ).update(status=MemberImport.Status.DISCARDED, rows=[], finished_at=clock.now())


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _write_chunk(chunk: list[tuple[int, dict[str, Any]]], assemblies: dict[int, int]) -> list[int]:
    """One chunk's new members, their addresses and their assembly seats, in one transaction.
    Returns the new members' ids; an address taken meanwhile (a join racing us) is skipped."""
    now = clock.now()
    emails = [member["email"] for _number, member in chunk]
    known = set(Member.objects.filter(email__in=emails).values_list("email", flat=True))
    new = [
        Member(
            email=member["email"],
            full_name=member["full_name"],
            unit=member["unit"],
            status=Member.Status.MEMBER,
            joined_at=(
                timezone.make_aware(datetime.combine(member["joined"], time(12)))
                if member["joined"]
                else now
            ),
            capacities=member["capacities"],
            skills=member["skills"],
            interests=member["interests"],
            # No password until the invitation's link sets one: Django's unusable marker,
            # random for each member (so each link, bound to it, is theirs alone), made
            # with one call rather than `make_password(None)`'s forty.
            password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20),
        )
        for _number, member in chunk
        if member["email"] not in known
    ]
    Member.objects.bulk_create(new)
    EmailAddress.objects.bulk_create(
        EmailAddress(user_id=m.pk, email=m.email, primary=True, verified=False) for m in new
    )
    BodyMembership.objects.bulk_create(
        BodyMembership(body_id=assemblies[m.unit_id], member_id=m.pk, since=now.date())
        for m in new
        if m.unit_id in assemblies
    )
    return [m.pk for m in new]


def member_import_run(*, import_id: int) -> MemberImport:
    """The worker's part: write the confirmed list, a chunk per transaction, resumable.

    `progress` counts the rows done, so a worker that stops part-way resumes after the
    last written chunk; the rows already in are found by address and skipped.
    """
    member_import = MemberImport.objects.select_related("unit", "created_by").get(pk=import_id)
    if member_import.status not in {MemberImport.Status.QUEUED, MemberImport.Status.RUNNING}:
        return member_import
    MemberImport.objects.filter(pk=import_id).update(status=MemberImport.Status.RUNNING)
    plan = _plan(member_import)
    rows = sorted(plan.to_add, key=lambda item: item[0])
    units = {member["unit"].pk for _number, member in rows}
    assemblies = dict(
        Body.objects.filter(unit_id__in=units, kind=Body.Kind.ASSEMBLY, closed_on=None)
        .order_by("unit_id", "pk")
        .values_list("unit_id", "pk")
    )
    # Rows an earlier run already wrote are members now, so the plan leaves them out.
    for chunk in _chunks(rows):
        for attempt in range(3):
            try:
                with transaction.atomic():
                    ids = _write_chunk(chunk, assemblies)
                    MemberImport.objects.filter(pk=import_id).update(
                        progress=F("progress") + len(chunk), added=F("added") + len(ids)
                    )
                    if ids:
                        transaction.on_commit(partial(send_import_invitations, ids))
                break
            except IntegrityError:
                if attempt == 2:
                    raise
    with transaction.atomic():
        member_import = MemberImport.objects.select_for_update().get(pk=import_id)
        member_import.status = MemberImport.Status.DONE
        # Rows that were members at confirmation, or whose address was taken since.
        member_import.skipped = member_import.existing + member_import.to_add - member_import.added
        member_import.rows = []
        member_import.finished_at = clock.now()
        member_import.save(update_fields=["status", "skipped", "rows", "finished_at"])
        record_append(
            kind="members.imported",
            subject=member_import,
            actor=member_import.created_by,
            payload={
                "unit": member_import.unit_id,
                "file_sha256": member_import.file_sha256,
                "added": member_import.added,
                "existing": member_import.skipped,
                "problem_rows": len({row[0] for row in plan.problems}),
            },
        )
        if member_import.created_by is not None:
            notify(
                kind="member.import_done",
                title=_("%(added)d members imported into %(unit)s")
                % {"added": member_import.added, "unit": member_import.unit.name},
                text=_(
                    "%(existing)d rows were already members and were left as they were; "
                    "%(problems)d rows had problems and were not imported."
                )
                % {
                    "existing": member_import.skipped,
                    "problems": len({row[0] for row in plan.problems}),
                },
                link=f"/members/import/{member_import.pk}/",
                members=[member_import.created_by],
            )
    return member_import
