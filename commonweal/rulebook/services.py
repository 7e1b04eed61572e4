"""Staging rulebook versions, deciding them and bringing them into force.

An amendment's vote and its announcement belong to the process above
(``commonweal.constitution``); these steps only change the versions and the record.
"""

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted
from commonweal.record.payload import content_sha256
from commonweal.record.services import record_append

from . import schema
from .models import RulebookVersion


def rulebook_stage(
    *, rules: dict[str, Any], staged_by: Any, note: str = "", based_on: int | None = None
) -> RulebookVersion:
    """Stage a new version; refuse a bad one with every bad field named.

    National officers may stage one (for the administration); members of the body that
    changes the constitution (``constitution.amend``, granted by the process app) may draft
    an amendment, ``based_on`` the version in force.
    """
    if staged_by is not None and not (
        staged_by.has_perm("rulebook.stage_version") or staged_by.has_perm("constitution.amend")
    ):
        raise NotPermitted(
            _("Only members of the body that changes the constitution may draft a new version.")
        )
    schema.validate(rules)
    with transaction.atomic():
        last = RulebookVersion.objects.select_for_update().order_by("-number").first()
        version = RulebookVersion.objects.create(
            number=(last.number + 1) if last else 1,
            title=str(rules.get("title", "Rulebook"))[:200],
            rules=rules,
            note=note,
            based_on=based_on,
            staged_by=staged_by,
            staged_at=clock.now(),
        )
        record_append(
            kind="rulebook.staged",
            subject=version,
            actor=staged_by,
            payload={
                "number": version.number,
                "based_on": based_on,
                "rules_sha256": content_sha256(rules),
            },
            rulebook_version=version.number,
        )
    return version


def rulebook_submitted(
    *, version: RulebookVersion, vote_id: int, comes_into_force_at: Any, submitted_by: Any
) -> RulebookVersion:
    """Note that a staged version is before its body (the process above opened the vote)."""
    with transaction.atomic():
        version = RulebookVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != RulebookVersion.Status.STAGED or version.vote_id is not None:
            raise Conflict(_("This version has already been put to a vote."))
        version.vote_id = vote_id
        version.comes_into_force_at = comes_into_force_at
        version.save(update_fields=["vote_id", "comes_into_force_at"])
        record_append(
            kind="rulebook.submitted",
            subject=version,
            actor=submitted_by,
            payload={
                "number": version.number,
                "vote": vote_id,
                "comes_into_force_at": comes_into_force_at.isoformat(),
            },
            rulebook_version=version.number,
        )
    return version


def rulebook_decided(
    *, version: RulebookVersion, carried: bool, outcome: str, decision: Any = None
) -> RulebookVersion:
    """Its vote closed: adopted (to come into force at its date) or rejected, kept as it was."""
    with transaction.atomic():
        version = RulebookVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != RulebookVersion.Status.STAGED:
            raise Conflict(_("This version has already been decided."))
        version.status = (
            RulebookVersion.Status.ADOPTED if carried else RulebookVersion.Status.REJECTED
        )
        version.adopted_by = decision if carried else None
        version.decided_at = clock.now()
        version.save(update_fields=["status", "adopted_by", "decided_at"])
        record_append(
            kind="rulebook.adopted" if carried else "rulebook.rejected",
            subject=version,
            payload={
                "number": version.number,
                "vote": version.vote_id,
                "outcome": outcome,
                "decision": getattr(decision, "pk", None),
            },
            rulebook_version=version.number,
        )
    return version


def rulebook_bring_into_force(*, version: RulebookVersion, decision: Any = None) -> RulebookVersion:
    """Put a staged version in force; the one before it is superseded, never edited."""
    with transaction.atomic():
        version = RulebookVersion.objects.select_for_update().get(pk=version.pk)
        if version.status not in (RulebookVersion.Status.STAGED, RulebookVersion.Status.ADOPTED):
            raise Conflict(
                f"Rulebook v{version.number} is {version.get_status_display()}, "
                "only a staged or adopted version can come into force."
            )
        RulebookVersion.objects.filter(status=RulebookVersion.Status.IN_FORCE).update(
            status=RulebookVersion.Status.SUPERSEDED
        )
        version.status = RulebookVersion.Status.IN_FORCE
        version.in_force_from = clock.now()
        version.adopted_by = decision or version.adopted_by
        version.save(update_fields=["status", "in_force_from", "adopted_by"])
        record_append(
            kind="rulebook.in_force",
            subject=version,
            payload={"number": version.number, "decision": getattr(decision, "pk", None)},
            rulebook_version=version.number,
        )
    return version


def load_toml(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


def rulebook_install_default() -> RulebookVersion:
    """Put the shipped rulebook in force when none is (a fresh or flushed database).

    The first migration does this at set-up; tests that flush the database call it again.
    """
    in_force = RulebookVersion.objects.filter(status=RulebookVersion.Status.IN_FORCE).first()
    if in_force is not None:
        return in_force
    staged = rulebook_stage(
        rules=load_toml(Path(settings.COMMONWEAL_DEFAULT_RULEBOOK)),
        staged_by=None,
        note="The rulebook shipped with Commonweal.",
    )
    return rulebook_bring_into_force(version=staged)
