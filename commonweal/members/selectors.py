"""Reading members: home pages, applications, tokens, visibility."""

import functools
import hashlib
import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any, TypedDict

from django.apps import apps
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from commonweal.core import clock
from commonweal.organisation.models import Unit
from commonweal.organisation.selectors import (
    active_mandates,
    active_memberships,
    bodies_of,
    holds_office,
    officer_unit_paths,
    unit_ancestors_and_self,
)

from .models import ApiToken, Member, MembershipApplication
from .needs import HOME_NAV, Need, Seeker, listed, needs_of

if TYPE_CHECKING:  # django-stubs is a development dependency
    from django_stubs_ext import WithAnnotations

# "Last used" is kept to the nearest few minutes: writing it on every request would cost
# a committed write per API call (a ballot cast would pay for two).
TOKEN_USE_GRANULARITY = timedelta(minutes=5)


def token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# A token acts only for a member in one of these standings: suspension, leaving and
# erasure revoke every token (services), and this keeps a missed one from acting.
TOKEN_STANDINGS = (Member.Status.APPLICANT, Member.Status.MEMBER, Member.Status.EXTERNAL)


@dataclass(frozen=True)
class TokenHolder:
    """Who a presented token acts for, or (`refusal`) why it may not act on this request."""

    member: Member
    refusal: str = ""


def api_token_holder(key: str, *, write: bool) -> TokenHolder | None:
    return api_token_holders([key], write=write).get(key)


def api_token_holders(keys: list[str], *, write: bool) -> dict[str, TokenHolder]:
    """The holders of these tokens, by key, in one query whatever their number (two when a
    token is used for the first time in a while, three when one is an office-holder's).

    A key that is unknown, revoked or expired, or whose member is no longer active or in
    good standing, is left out (the API answers 401). A known token is refused (403) for
    a write when it may only read, and for anything while its member is an office-holder
    or administrator who has not set up the two factors the rulebook requires of them. The API
    (`config.api.TokenAuth`) and the ballot box authenticate through this one function.
    """
    from commonweal.rulebook.selectors import current

    by_hash = {token_hash(key): key for key in keys}
    now = clock.now()
    tokens = [
        token
        for token in _tokens_with_holders(now.date()).filter(
            key_hash__in=by_hash, revoked_at=None, expires_at__gt=now
        )
        if token.member.is_active and token.member.status in TOKEN_STANDINGS
    ]
    stale = [
        token.pk
        for token in tokens
        if token.last_used_at is None or now - token.last_used_at > TOKEN_USE_GRANULARITY
    ]
    if stale:
        ApiToken.objects.filter(pk__in=stale).update(last_used_at=now)
    unprotected = {
        token.member_id
        for token in tokens
        if (token.member.is_staff or token.holds_office) and not token.has_authenticator
    }
    if unprotected and not current()["members.office_holders_need_two_factor"]:
        unprotected = set()
    holders = {}
    for token in tokens:
        refusal = ""
        if token.member_id in unprotected:
            refusal = _(
                "Office-holders and administrators must set up two-factor authentication "
                "before using an API token: sign in on the site and set up an authenticator app."
            )
        elif write and token.scope != ApiToken.Scope.WRITE:
            refusal = _(
                "This token may only read. Make a token that may read and write on your "
                "tokens page to change anything."
            )
        holders[by_hash[token.key_hash]] = TokenHolder(member=token.member, refusal=refusal)
    return holders


class _Holder(TypedDict):
    holds_office: bool
    has_authenticator: bool


@functools.lru_cache(maxsize=1)
def _tokens_with_holders(on: date) -> "QuerySet[WithAnnotations[ApiToken, _Holder]]":
    """Tokens with their members, and whether the two-factor rule binds each holder on the
    day: the query ``api_token_holders`` filters, built once a day (never evaluated itself).
    Building it for every ballot box batch was a tenth of the batch's cost."""
    from allauth.mfa.models import Authenticator

    return (
        ApiToken.objects.select_related("member")
        # The profile's lists and the password hash are never needed to act on a token.
        .defer("member__password", "member__capacities", "member__skills", "member__interests")
        # Whether the two-factor rule binds the holder, asked in the same statement: a
        # ballot box batch is hundreds of members, nearly all holding no office.
        .annotate(
            holds_office=ExpressionWrapper(holds_office("member_id", on=on), BooleanField()),
            has_authenticator=Exists(
                Authenticator.objects.filter(
                    user_id=OuterRef("member_id"), type=Authenticator.Type.TOTP
                )
            ),
        )
    )


def tokens_of(member: Member) -> QuerySet[ApiToken]:
    """The member's tokens still in use: neither revoked nor expired."""
    return member.api_tokens.filter(revoked_at=None, expires_at__gt=clock.now()).order_by(
        "-created_at"
    )


def member_home(member: Member) -> dict[str, Any]:
    """The member's unit, bodies and offices, and what awaits them (`members.needs`):
    their own and their scope's (`needs`), and for a national officer the organisation's
    figures (`overview`)."""
    found = needs_of(member)
    needs = [need for need in found if not need.overview]
    return {
        "unit": member.unit,
        "unit_line": list(unit_ancestors_and_self(member.unit)) if member.unit else [],
        "bodies": bodies_of(member).select_related("unit"),
        "mandates": active_mandates(holder=member).select_related("body"),
        "needs": needs,
        "needs_total": sum(need.count for need in needs),
        "overview": [need for need in found if need.overview],
    }


def applications_awaiting(
    officer: Member, *, paths: list[str] | None = None
) -> QuerySet[MembershipApplication]:
    """Applications to units this officer may decide on (`paths`: their officer units'
    paths, when already read)."""
    paths = officer_unit_paths(officer) if paths is None else paths
    if not paths:
        return MembershipApplication.objects.none()
    units = Unit.objects.none()
    for path in paths:
        units |= Unit.objects.filter(path__startswith=path)
    return (
        MembershipApplication.objects.filter(
            status=MembershipApplication.Status.PENDING, unit__in=units
        )
        .select_related("applicant", "unit")
        .order_by("applied_at", "pk")
    )


def with_deadlines(applications: Any) -> list[MembershipApplication]:
    """The applications, each with `due_at` (when the rulebook's time for a decision runs
    out) and `overdue`, for the officers' list."""
    from commonweal.rulebook.selectors import current

    days = timedelta(days=current()["members.application_decision_days"])
    now = clock.now()
    found = list(applications)
    for application in found:
        application.due_at = application.applied_at + days
        application.overdue = application.due_at < now
    return found


def needs(seeker: Seeker) -> list[Need]:
    """Applications to join waiting for the officer, each due when the rulebook's time for
    a decision runs out."""
    from commonweal.rulebook.selectors import current

    if not seeker.officer_unit_paths:
        return []
    days = current()["members.application_decision_days"]
    url = reverse("members:applications")
    return listed(
        applications_awaiting(seeker.member, paths=seeker.officer_unit_paths),
        lambda application: Need(
            kind="application",
            title=_("Decide on %(name)s's application to join")
            % {"name": application.applicant.display_name},
            detail=application.unit.name,
            url=url,
            nav=HOME_NAV,
            due=application.applied_at + timedelta(days=days),
        ),
        lambda rest: Need(
            kind="application",
            title=_("More applications to join"),
            url=url,
            nav=HOME_NAV,
            count=rest,
        ),
    )


def _standing_seen_by(viewer: Any, rows: QuerySet, ids: set[int], own: str) -> set[int]:
    """Of these members (or applications), those whose standing `viewer` may see: their
    own, those in units they are an officer of or above (who suspend members and decide
    applications), every one for administrators."""
    if viewer.is_superuser:
        return ids
    visible = Q(**{own: viewer.pk})
    if viewer.is_member:
        for path in officer_unit_paths(viewer):
            visible |= Q(unit__path__startswith=path)
    return set(rows.filter(visible, pk__in=ids).values_list("pk", flat=True))


def record_members_seen_by(viewer: Any, ids: set[int]) -> set[int]:
    """Whom record entries on a suspension, departure or erasure may name to `viewer`."""
    return _standing_seen_by(viewer, Member.objects.all(), ids, own="pk")


def record_applications_seen_by(viewer: Any, ids: set[int]) -> set[int]:
    """Which applications record entries may name to `viewer`."""
    return _standing_seen_by(viewer, MembershipApplication.objects.all(), ids, own="applicant_id")


def members_of_unit(unit: Unit) -> QuerySet[Member]:
    """By name, then key, so that pages of a unit with namesakes neither skip nor repeat."""
    return Member.objects.filter(unit=unit, status=Member.Status.MEMBER).order_by("full_name", "pk")


def profiles_visible_to(viewer: Any, *, via: str = "") -> Q:
    """The members whose profile `viewer` may see, as a filter for a list of them.

    The `members.view_profile` rule in one query's terms, so that a list names nobody
    whose profile would be refused to the viewer: themselves; each member by their own
    choice of who may see them (all members, their unit, their unit and bodies, or
    officers only); every member of a unit the viewer is an officer of or above;
    everyone, for administrators. `via` leads from the listed rows to the member
    ("member__" for body memberships).
    """

    def where(**lookups: Any) -> Q:
        return Q(**{via + name: value for name, value in lookups.items()})

    if not getattr(viewer, "is_authenticated", False):
        return where(pk__in=[])
    if viewer.is_superuser:
        return Q()
    visible = where(pk=viewer.pk)
    if not viewer.is_member:
        return visible
    for path in officer_unit_paths(viewer):
        visible |= where(unit__path__startswith=path)
    choice = Member.Visibility
    by_choice = where(visibility=choice.ORGANISATION)
    if viewer.unit_id is not None:
        by_choice |= where(visibility__in=[choice.UNIT, choice.BODIES], unit_id=viewer.unit_id)
    sharing_a_body = active_memberships(
        body__in=active_memberships(member_id=viewer.pk).values("body_id")
    ).values("member_id")
    by_choice |= where(visibility=choice.BODIES, pk__in=sharing_a_body)
    return visible | (where(is_active=True, status=Member.Status.MEMBER) & by_choice)


def member_data_export(member: Member) -> dict[str, Any]:
    """Everything held about a member, for their own download (right of access).

    Each app adds its part through a `member_export(member)` in its selectors.
    """
    data: dict[str, Any] = {
        "profile": {
            "email": member.email,
            "full_name": member.full_name,
            "unit": member.unit.name if member.unit else None,
            "status": member.status,
            "joined_at": member.joined_at.isoformat() if member.joined_at else None,
            "capacities": member.capacities,
            "skills": member.skills,
            "interests": member.interests,
            "visibility": member.visibility,
            "locale": member.locale,
        },
        "applications": [
            {
                "unit": a.unit.name,
                "status": a.status,
                "applied_at": a.applied_at.isoformat(),
                "statement": a.statement,
                "reason": a.reason,
            }
            for a in member.applications.select_related("unit")
        ],
        "bodies": [
            {
                "body": m.body.name,
                "role": m.role,
                "since": m.since.isoformat(),
                "until": m.until.isoformat() if m.until else None,
            }
            for m in member.body_memberships.select_related("body")
        ],
        "mandates": [
            {
                "body": m.body.name,
                "office": m.office,
                "starts_on": m.starts_on.isoformat(),
                "ends_on": m.ends_on.isoformat(),
            }
            for m in member.mandates.select_related("body")
        ],
        "who_saw_my_profile": [
            {"viewer": v.viewer_id, "what": v.what, "at": v.viewed_at.isoformat()}
            for v in member.views_of_me.all()[:1000]
        ],
    }
    for config in apps.get_app_configs():
        if not config.name.startswith("commonweal.") or config.label == "members":
            continue
        try:
            module = importlib.import_module(f"{config.name}.selectors")
        except ModuleNotFoundError:
            continue
        if exporter := getattr(module, "member_export", None):
            data[config.label] = exporter(member)
    return data


def has_authenticator(member: Member) -> bool:
    """Whether the member has set up an authenticator app (TOTP), which allauth then asks for."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()


def needs_two_factor(member: Member) -> bool:
    """True for an office-holder or an administrator, when the rulebook requires office-holders
    to use two factors (administrators can do more than any office-holder)."""
    from commonweal.organisation.selectors import holds_any_office
    from commonweal.rulebook.selectors import current

    if not current()["members.office_holders_need_two_factor"]:
        return False
    return member.is_staff or holds_any_office(member)


def must_set_up_two_factor(member: Member) -> bool:
    """True for an office-holder without an authenticator, when the rulebook requires one."""
    return needs_two_factor(member) and not has_authenticator(member)


def passed_two_factor(request: Any, member: Member) -> bool:
    """Whether this session's sign-in passed the member's second factor.

    allauth keeps the ways a session was authenticated in the session itself; its "mfa"
    entry is written only when the member answered an authenticator's challenge (or
    proved a new one by its first code, see `apps.MembersConfig.ready`).
    """
    from allauth.account.authentication import get_authentication_records

    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, member)
    )


# The capacities register: the members' own tags, searched by their unit's officers.

TAG_KINDS = ("capacities", "skills", "interests")
REGISTER_PAGE = 25
MAX_REGISTER_WORDS = 8


def register_paths(viewer: Any) -> list[str]:
    """The paths of the subtrees whose members `viewer` may search in the register: the
    units they are an officer of (and all below); the whole tree for administrators."""
    if not getattr(viewer, "is_authenticated", False):
        return []
    if viewer.is_superuser:
        return [""]
    if not viewer.is_member:
        return []
    return officer_unit_paths(viewer)


def register_units(viewer: Any, *, paths: list[str] | None = None) -> QuerySet[Unit]:
    """The open units an officer may search under, for the search form's choice."""
    paths = register_paths(viewer) if paths is None else paths
    if not paths:
        return Unit.objects.none()
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    return Unit.objects.filter(within, closed_on=None).order_by("path")


def may_search_register_under(viewer: Any, unit: Unit) -> bool:
    return any(unit.path.startswith(path) for path in register_paths(viewer))


@dataclass
class RegisterPage:
    members: list[Member]
    next_after: int | None


def _words(text: str) -> list[str]:
    return [w for w in text.replace(",", " ").split() if w][:MAX_REGISTER_WORDS]


def _tag_condition(kinds: list[str], word: str) -> Q:
    """A word found in any tag of these kinds, whatever its case. SQLite keeps JSON with
    non-ASCII letters escaped (\\u00f1), PostgreSQL as they are: both spellings are asked."""
    import json

    spellings = {word, json.dumps(word)[1:-1]}
    found = Q()
    for kind in kinds:
        for spelling in spellings:
            found |= Q(**{f"{kind}_text__icontains": spelling})
    return found


def register_search(
    viewer: Any,
    *,
    unit: Unit,
    words: str = "",
    kinds: list[str] | None = None,
    chosen: dict[str, str] | None = None,
    after: int = 0,
) -> RegisterPage:
    """Members in good standing in `unit`'s subtree whose tags (of `kinds`) hold every word,
    narrowed by the registered filters' `chosen` values ("course": "facilitation"), a page
    at a time in the order they joined (by id, `after` the last one shown).

    Only for an officer of `unit` or a unit above it (the caller checks
    `may_search_register_under`): every member found is one whose hidden tags that
    officer may see, so hidden tags are searched too. One query for the page whatever
    the organisation's size; a filter's condition is a subquery, not a list of ids.
    """
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from . import register

    kinds = [kind for kind in (kinds or TAG_KINDS) if kind in TAG_KINDS] or list(TAG_KINDS)
    found = Member.objects.filter(
        unit__path__startswith=unit.path, status=Member.Status.MEMBER, is_active=True
    )
    asked = _words(words)
    if asked:
        found = found.annotate(
            **{f"{kind}_text": Cast(kind, output_field=TextField()) for kind in kinds}
        )
        for word in asked:
            found = found.filter(_tag_condition(kinds, word))
    by_key = {f.key: f for f in register.filters()}
    for key, value in (chosen or {}).items():
        if value and key in by_key:
            condition = by_key[key].condition(value)
            found = found.filter(condition if condition is not None else Q(pk__in=[]))
    rows = list(
        found.filter(pk__gt=after)
        .select_related("unit")
        .defer("password")
        .order_by("pk")[: REGISTER_PAGE + 1]
    )
    more = len(rows) > REGISTER_PAGE
    rows = rows[:REGISTER_PAGE]
    return RegisterPage(rows, rows[-1].pk if more else None)


def may_see_hidden_tags(viewer: Any, member: Member) -> bool:
    """The member themselves, the officers of their unit and above, administrators."""
    return bool(viewer and viewer.has_perm("members.see_hidden_tags", member))


def tags_seen_by(viewer: Any, member: Member) -> list[tuple[str, str, list[str]]]:
    """(kind, its name, the tags) the viewer may read on the member's profile: a kind the
    member keeps for officers is left out for anyone else."""
    names = {
        "capacities": _("Capacities and talents"),
        "skills": _("Skills"),
        "interests": _("Interests"),
    }
    hidden = set(member.tags_for_officers or [])
    sees_all = not hidden or may_see_hidden_tags(viewer, member)
    return [
        (kind, names[kind], list(getattr(member, kind) or []))
        for kind in TAG_KINDS
        if getattr(member, kind) and (sees_all or kind not in hidden)
    ]


def offers_of(member: Member) -> QuerySet[Any]:
    from .models import Offer

    return Offer.objects.filter(member=member).select_related("unit", "decided_by")


def offers_to_answer(viewer: Any) -> QuerySet[Any]:
    """Offers from members of the units the viewer is an officer of (and below), those
    waiting first, newest first."""
    from django.db.models import Case, IntegerField, Value, When

    from .models import Offer

    paths = register_paths(viewer)
    if not paths:
        return Offer.objects.none()
    within = Q()
    for path in paths:
        within |= Q(unit__path__startswith=path)
    waiting_first = Case(
        When(status=Offer.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        Offer.objects.filter(within)
        .select_related("member", "unit", "decided_by")
        .order_by(waiting_first, "-offered_at", "-id")
    )


def record_offers_seen_by(viewer: Any, ids: set[int]) -> set[int]:
    """Record entries on an offer name it only to its member and the officers who answer it."""
    from .models import Offer

    if getattr(viewer, "is_superuser", False):
        return ids
    visible = Q(member_id=getattr(viewer, "pk", None))
    if getattr(viewer, "is_member", False):
        for path in officer_unit_paths(viewer):
            visible |= Q(unit__path__startswith=path)
    return set(Offer.objects.filter(visible, pk__in=ids).values_list("pk", flat=True))


def offer_needs(seeker: Seeker) -> list[Need]:
    """Offers to help waiting for an answer from the officer's units."""
    if not seeker.officer_unit_paths:
        return []
    from .models import Offer

    within = Q()
    for path in seeker.officer_unit_paths:
        within |= Q(unit__path__startswith=path)
    url = reverse("members:offers")
    return listed(
        Offer.objects.filter(within, status=Offer.Status.OPEN)
        .select_related("member")
        .order_by("offered_at"),
        lambda offer: Need(
            kind="offer",
            title=_("Answer %(name)s's offer to help") % {"name": offer.member.display_name},
            detail=offer.title,
            url=url,
            nav=HOME_NAV,
        ),
        lambda rest: Need(
            kind="offer", title=_("More offers to help"), url=url, nav=HOME_NAV, count=rest
        ),
    )


def units_to_import_into(member: Any) -> QuerySet[Unit]:
    """The open units whose members lists `member` may import: those at or below the units
    they are an officer of (every open unit, for an administrator)."""
    units = Unit.objects.filter(closed_on=None).order_by("path")
    if getattr(member, "is_superuser", False):
        return units
    if not getattr(member, "is_member", False):
        return units.none()
    paths = officer_unit_paths(member)
    if not paths:
        return units.none()
    return units.filter(reduce(or_, (Q(path__startswith=path) for path in paths)))


IMPORT_PROBLEMS_PAGE = 50


def import_rows_shown(member_import: Any, *, rows: int = 10) -> list[list[str]]:
    """The file's first rows as read, to check the columns against."""
    return [row for row in member_import.rows[: rows * 2] if row][:rows]


def import_problems(member_import: Any, problems: list[list[Any]]) -> list[dict[str, Any]]:
    """Problems of the list (a page of them), each with its cell as the file has it while
    the rows are kept."""
    from .services.imports import FIELD_LABELS, PROBLEMS

    rows = member_import.rows if member_import.status == member_import.Status.PREVIEW else []
    found = []
    for number, field, code, other in problems:
        index = member_import.columns.get(field)
        cells = rows[number - 2] if number - 2 < len(rows) else []
        found.append(
            {
                "row": number,
                "field": FIELD_LABELS.get(field, field),
                "problem": PROBLEMS[code] % {"row": other} if other else PROBLEMS[code],
                "cell": cells[index] if index is not None and index < len(cells) else "",
            }
        )
    return found
