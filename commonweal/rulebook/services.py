"""Staging rulebook versions and bringing them into force."""

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from commonweal.core import clock
from commonweal.core.errors import Conflict, NotPermitted
from commonweal.record.services import record_append

from . import schema
from .models import RulebookVersion


def rulebook_stage(*, rules: dict[str, Any], staged_by: Any, note: str = "") -> RulebookVersion:
    """Stage a new version; refuse a bad one with every bad field named."""
    if staged_by is not None and not staged_by.has_perm("rulebook.stage_version"):
        raise NotPermitted("Only officers of the national leadership may stage a rulebook.")
    schema.validate(rules)
    with transaction.atomic():
        last = RulebookVersion.objects.select_for_update().order_by("-number").first()
        version = RulebookVersion.objects.create(
            number=(last.number + 1) if last else 1,
            title=str(rules.get("title", "Rulebook")),
            rules=rules,
            note=note,
            staged_by=staged_by,
            staged_at=clock.now(),
        )
        record_append(
            kind="rulebook.staged",
            subject=version,
            actor=staged_by,
            payload={"number": version.number},
            rulebook_version=version.number,
        )
    return version


def rulebook_bring_into_force(*, version: RulebookVersion, decision: Any = None) -> RulebookVersion:
    """Put a staged version in force; the one before it is superseded, never edited."""
    with transaction.atomic():
        version = RulebookVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != RulebookVersion.Status.STAGED:
            raise Conflict(
                f"Rulebook v{version.number} is {version.get_status_display()}, "
                "only a staged version can come into force."
            )
        RulebookVersion.objects.filter(status=RulebookVersion.Status.IN_FORCE).update(
            status=RulebookVersion.Status.SUPERSEDED
        )
        version.status = RulebookVersion.Status.IN_FORCE
        version.in_force_from = clock.now()
        version.adopted_by = decision
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
