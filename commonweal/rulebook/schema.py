"""What a rulebook may say, and the checks a new version must pass.

Each rule is declared once here with its type and bounds, so a bad rulebook is
refused with a message that names the field, and code reads typed values.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAJORITIES = ("simple", "absolute", "two_thirds")
MAJORITY_BASES = ("yes_no", "yes_no_abstain", "entitled")
VOTING_METHODS = ("majority", "approval", "schulze", "stv")
MINORITY_SPEAKERS = ("voted_against", "recognised_tendency", "electorate")
BODY_KINDS = ("leadership", "department", "policy_section", "assembly", "conference")
SECTION_OFFICES = ("chair", "secretary", "officers")
# Kinds of office a training requirement names: a chair, a secretary (by the office's name,
# as organisation's mandates give their role), or any office at all.
OFFICE_KINDS = ("chair", "secretary", "any")
INTERVENTION_KINDS = ("leaflet", "public_meeting", "solidarity_action", "election", "other")


class RulebookInvalid(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


@dataclass(frozen=True)
class Rule:
    kind: type | tuple[type, ...]
    check: Callable[[Any], str | None] | None = None


def between(low: float, high: float) -> Callable[[Any], str | None]:
    """The bounds are kept on the check, so the amendment form can offer them."""

    def check(value: Any) -> str | None:
        if not low <= value <= high:
            return f"must be between {low:g} and {high:g} (got {value:g})"
        return None

    check.low, check.high = low, high  # type: ignore[attr-defined]
    return check


def at_least(low: float) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value < low:
            return f"must be at least {low:g} (got {value:g})"
        return None

    check.low = low  # type: ignore[attr-defined]
    return check


def one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if value not in choices:
            return f"must be one of {', '.join(choices)} (got {value!r})"
        return None

    check.choices = choices  # type: ignore[attr-defined]
    return check


def each_short_name(values: Any) -> str | None:
    """Each a body's short name (lower-case letters, digits and hyphens)."""
    bad = [v for v in values if not isinstance(v, str) or not re.fullmatch(r"[a-z0-9-]{1,80}", v)]
    if bad:
        return f"not a body's short name: {', '.join(map(str, bad))}"
    return None


def each_one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(values: Any) -> str | None:
        unknown = [v for v in values if v not in choices]
        if unknown:
            return f"unknown: {', '.join(map(str, unknown))}; allowed: {', '.join(choices)}"
        return None

    check.choices = choices  # type: ignore[attr-defined]
    return check


def courses_by_office(value: Any) -> str | None:
    """Office kinds mapped to the short names of the courses they require."""
    problems = []
    for kind, slugs in value.items():
        if kind not in OFFICE_KINDS:
            problems.append(f"unknown office {kind!r} (allowed: {', '.join(OFFICE_KINDS)})")
        elif not isinstance(slugs, list) or any(
            not isinstance(s, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,80}", s) for s in slugs
        ):
            problems.append(f"{kind}: not a list of courses' short names")
    return "; ".join(problems) or None


courses_by_office.keys = OFFICE_KINDS  # type: ignore[attr-defined]


NUMBER = (int, float)
DAYS = Rule(int, at_least(1))
SHARE = Rule(NUMBER, between(0, 1))

RULES: dict[str, dict[str, Rule]] = {
    "members": {
        "office_holders_need_two_factor": Rule(bool),
        "application_decision_days": DAYS,
    },
    "policy": {
        "support_threshold_kind": Rule(str, one_of("share", "absolute")),
        "support_threshold": Rule(NUMBER, at_least(0)),
        "support_minimum": Rule(int, at_least(1)),
        "support_days": DAYS,
        "scoping_days": DAYS,
        "circulation_days": DAYS,
        "drafting_days": DAYS,
        "consultation_days": DAYS,
        "approval_days": DAYS,
        "consultation_min_days": Rule(int, at_least(0)),
        "amendment_min_days": Rule(int, at_least(0)),
        "end_early_by": Rule(list, each_one_of(*SECTION_OFFICES)),
        "anonymous_until_launch": Rule(bool),
    },
    "meetings": {
        "quorum": SHARE,
        "minutes_approval_days": DAYS,
        "speaking_minutes": Rule(int, at_least(1)),
        "minutes_to": Rule(list, each_one_of(*BODY_KINDS)),
    },
    "votes": {
        "default_majority": Rule(str, one_of(*MAJORITIES)),
        "majority_base": Rule(str, one_of(*MAJORITY_BASES)),
        "methods": Rule(list, each_one_of(*VOTING_METHODS)),
        "schulze_strength": Rule(str, one_of("winning_votes", "margin")),
        "stv_rule": Rule(str, one_of("scottish")),
        "allow_vote_change": Rule(bool),
        "tie_break": Rule(str, one_of("published_seed")),
    },
    "offices": {
        "term_months": Rule(int, between(1, 120)),
        "recall_support": SHARE,
        "recall_majority": Rule(str, one_of(*MAJORITIES)),
        "report_every_days": DAYS,
        "recall_vote_days": DAYS,
        "expiry_notice_days": DAYS,
        "appointments": Rule(list, each_one_of("co_option", "interim")),
        "interim_months": Rule(int, between(1, 24)),
    },
    "structure": {
        "changed_by": Rule(str, one_of("national_officers", "regional_officers")),
    },
    "tendencies": {
        "recognition_minimum": Rule(int, at_least(1)),
        "membership_visible_to": Rule(str, one_of("members", "officers")),
    },
    "notifications": {
        "member_reach": Rule(int, at_least(1)),
        "reminder_days": Rule(int, between(1, 60)),
    },
    "discussion": {
        "open_in_wide_space": Rule(str, one_of("officers", "members")),
    },
    "minority_positions": {
        "who": Rule(list, each_one_of(*MINORITY_SPEAKERS)),
        "days": DAYS,
        "review": Rule(bool),
    },
    "econferences": {
        "who_may_call": Rule(list, each_one_of("leadership", "policy_section", "any")),
    },
    "training": {
        "authored_by": Rule(list, each_short_name),
        "before_standing": Rule(dict, courses_by_office),
        "within_office": Rule(dict, courses_by_office),
        "within_office_days": DAYS,
        "retraining_days": Rule(int, at_least(0)),
    },
    "development": {
        "plan_review_days": DAYS,
    },
    "constitution": {
        "amended_by": Rule(str, one_of(*BODY_KINDS)),
        "majority": Rule(str, one_of(*MAJORITIES)),
        "vote_days": DAYS,
    },
    "decisions": {
        "review_reminder_days": DAYS,
    },
    "alliances": {
        "statement_needs_vote": Rule(bool),
    },
    "interventions": {
        "decision_needed_for": Rule(list, each_one_of(*INTERVENTION_KINDS)),
        "assessment_reminder_days": DAYS,
        "escalation_days": DAYS,
    },
    "mobilisation": {
        "organised_by": Rule(list, each_short_name),
        "signer_retention_days": DAYS,
    },
}


def validate(rules: dict[str, Any]) -> None:
    """Raise RulebookInvalid naming every bad or missing field as `section.field`."""
    errors: dict[str, str] = {}
    for section, fields in RULES.items():
        given = rules.get(section)
        if not isinstance(given, dict):
            errors[section] = "section is missing"
            continue
        for name, rule in fields.items():
            key = f"{section}.{name}"
            if name not in given:
                errors[key] = "is missing"
                continue
            value = given[name]
            kinds = rule.kind if isinstance(rule.kind, tuple) else (rule.kind,)
            if isinstance(value, bool) and bool not in kinds:
                errors[key] = f"must be a {kinds[0].__name__}, not true/false"
                continue
            if not isinstance(value, kinds):
                errors[key] = f"must be a {kinds[0].__name__} (got {value!r})"
                continue
            if rule.check and (problem := rule.check(value)):
                errors[key] = problem
        for name in given:
            if name not in fields:
                errors[f"{section}.{name}"] = "is not a known rule"
    policy = rules.get("policy", {})
    if (
        isinstance(policy, dict)
        and policy.get("support_threshold_kind") == "share"
        and isinstance(policy.get("support_threshold"), NUMBER)
        and policy["support_threshold"] > 1
    ):
        errors["policy.support_threshold"] = "a share must be between 0 and 1"
    for least, whole in (
        ("consultation_min_days", "consultation_days"),
        ("amendment_min_days", "approval_days"),
    ):
        if (
            isinstance(policy, dict)
            and isinstance(policy.get(least), int)
            and isinstance(policy.get(whole), int)
            and policy[least] > policy[whole]
        ):
            errors[f"policy.{least}"] = f"must not be longer than policy.{whole}"
    for section in rules:
        if section not in RULES and section != "title":
            errors[section] = "is not a known section"
    if errors:
        raise RulebookInvalid(errors)
