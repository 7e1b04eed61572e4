"""The rulebook in the organisation's words: a label and a help text for every rule, and its
value as a member reads it ("20% of the members in scope", "14 days", "Yes") instead of the
stored key (`recall_support`, `0.2`, `True`). Kept beside the schema: a rule without a label
here fails the rulebook's tests, so no new rule reaches the page as a raw key.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .schema import RULES


@dataclass(frozen=True)
class Label:
    label: Any
    help: Any = ""
    unit: str = ""  # "days", "months", "minutes", "share", "members" or "" (as it is)


SECTIONS = {
    "members": _("Membership"),
    "policy": _("Policy development"),
    "meetings": _("Meetings"),
    "votes": _("Votes"),
    "offices": _("Offices and accountability"),
    "structure": _("Structure of the organisation"),
    "tendencies": _("Tendencies"),
    "minority_positions": _("Minority positions"),
    "notifications": _("Notifications"),
    "discussion": _("Discussion"),
    "econferences": _("E-conferences"),
    "training": _("Training"),
    "development": _("Training and development"),
    "constitution": _("Changing the constitution"),
    "decisions": _("Decisions"),
    "alliances": _("Alliances"),
    "interventions": _("Interventions in struggles"),
    "mobilisation": _("Mobilisation"),
}

LABELS: dict[str, Label] = {
    "members.office_holders_need_two_factor": Label(
        _("Office-holders sign in with a second factor"),
        _(
            "An officer, and the platform's administrators, must confirm each sign-in with "
            "an authenticator code, and cannot use an API token until they have one."
        ),
    ),
    "members.application_decision_days": Label(
        _("Time to decide an application to join"),
        _("How long an application may wait for the unit's officers."),
        "days",
    ),
    "policy.support_threshold_kind": Label(
        _("Support threshold counted as"),
        _("A share of the members in the section's scope, or a fixed number of members."),
    ),
    "policy.support_threshold": Label(
        _("Support that launches a policy change"),
        _("Supports a proposal needs before the policy change process is launched."),
        "threshold",
    ),
    "policy.support_minimum": Label(
        _("Fewest supports ever needed"),
        _("However small the scope, a proposal needs at least this many supports."),
        "members",
    ),
    "policy.support_days": Label(
        _("Time to gather support"),
        _("An unsupported proposal expires after this."),
        "days",
    ),
    "policy.scoping_days": Label(_("Time for scoping"), "", "days"),
    "policy.circulation_days": Label(
        _("Time for circulation"), _("The deadline units and bodies have to respond."), "days"
    ),
    "policy.drafting_days": Label(_("Time for drafting"), "", "days"),
    "policy.consultation_days": Label(
        _("Time for the wider consultation"),
        _("Members and invited outside groups comment on the draft until then."),
        "days",
    ),
    "policy.approval_days": Label(
        _("Time for amendments before the e-conference"),
        _("Members propose amendments to the final draft until the e-conference is called."),
        "days",
    ),
    "policy.consultation_min_days": Label(
        _("Shortest wider consultation"),
        _("Nobody may declare the final draft before the consultation has been open this long."),
        "days",
    ),
    "policy.amendment_min_days": Label(
        _("Shortest time for amendments"),
        _(
            "Nobody may call the e-conference before members have had this long to propose "
            "amendments to the final draft."
        ),
        "days",
    ),
    "policy.end_early_by": Label(
        _("Who may end a step before its deadline"),
        _(
            "Officers of the proposal's policy section who may close circulation, the "
            "consultation or the amendments early, giving a reason that everyone cut off can "
            "read. After the deadline any member of the section may."
        ),
    ),
    "policy.anonymous_until_launch": Label(
        _("Proposals are anonymous until launched"),
        _("A proposal's author is not named until it reaches its support threshold."),
    ),
    "meetings.quorum": Label(
        _("Quorum"),
        _("Share of the body's (or scope's) members who must attend or vote for a vote to count."),
        "share",
    ),
    "meetings.minutes_approval_days": Label(_("Time to approve the minutes"), "", "days"),
    "meetings.speaking_minutes": Label(
        _("Speaking time"), _("Each turn on the speakers' list."), "minutes"
    ),
    "meetings.minutes_to": Label(
        _("Approved minutes also go to"),
        _("Bodies of these kinds, at the meeting body's level or above."),
    ),
    "votes.default_majority": Label(_("Majority needed unless a rule says otherwise")),
    "votes.majority_base": Label(
        _("Votes a majority is counted from"),
        _("Which votes make up the base of a majority."),
    ),
    "votes.methods": Label(_("Voting methods in use")),
    "votes.schulze_strength": Label(
        _("Strength of a defeat in ranked votes (Schulze)"),
        _("Winning votes counts the voters who prefer the winner of each contest."),
    ),
    "votes.stv_rule": Label(_("Rules for single transferable vote")),
    "votes.allow_vote_change": Label(
        _("Votes may be changed while open"), _("The last ballot a member casts counts.")
    ),
    "votes.tie_break": Label(
        _("Ties left to lot are broken by"),
        _("A random seed published before the count, shown with the result."),
    ),
    "offices.term_months": Label(_("Term of office"), "", "months"),
    "offices.recall_support": Label(
        _("Support that opens a recall vote"),
        _("Share of the members in scope who must support a recall."),
        "share",
    ),
    "offices.recall_majority": Label(_("Majority needed to recall an office-holder")),
    "offices.report_every_days": Label(
        _("Office-holders report every"), _("Scheduled accountability reports."), "days"
    ),
    "offices.recall_vote_days": Label(_("Time a recall vote stays open"), "", "days"),
    "offices.expiry_notice_days": Label(
        _("Notice that a term of office is ending"),
        _(
            "How long before the last day of a term its holder and the body are told; "
            "the office confers nothing after that day."
        ),
        "days",
    ),
    "offices.appointments": Label(
        _("Offices that may be filled outside an election"),
        _("Co-option gives a full term; an interim appointment lasts until an election."),
    ),
    "offices.interim_months": Label(_("Longest interim appointment"), "", "months"),
    "training.authored_by": Label(
        _("Bodies that write courses"),
        _(
            "Short names of the bodies (the training department, or any body given the "
            "mandate) whose members write and publish courses and reading groups, within the "
            "body's own scope, run cohorts and read the training overview."
        ),
    ),
    "training.before_standing": Label(
        _("Courses required before standing for an office"),
        _(
            "By kind of office (chair, secretary, or any office): the short names of the "
            "courses a member must have completed to be nominated or appointed to it."
        ),
    ),
    "training.within_office": Label(
        _("Courses required after taking an office"),
        _(
            "By kind of office: the courses an office-holder must complete within the time "
            "below; each body's page shows whether its office-holders have."
        ),
    ),
    "training.within_office_days": Label(
        _("Time to complete them after taking an office"),
        _(
            "Also the time an office-holder has to retrain once a completion lapses. Holders "
            "are warned before it ends; once it has passed, the body's chair is told."
        ),
        "days",
    ),
    "training.retraining_days": Label(
        _("A completion counts for"),
        _(
            "Leaders retrain: an older completion no longer meets a requirement. "
            "0: a completion never lapses."
        ),
        "days",
    ),
    "structure.changed_by": Label(
        _("Who changes the structure"),
        _(
            "National officers create, rename, merge and close units and bodies anywhere and "
            "appoint outside elections; regional officers, if allowed, do so within their region."
        ),
    ),
    "tendencies.recognition_minimum": Label(
        _("Members a tendency needs to be recognised"), "", "members"
    ),
    "tendencies.membership_visible_to": Label(_("Who may see who belongs to a tendency")),
    "notifications.member_reach": Label(
        _("Members one member's action may notify at once"),
        _("A wider unit or body hears a member's action only through its officers."),
        "members",
    ),
    "notifications.reminder_days": Label(
        _("Reminder before a deadline"),
        _(
            "How long before an accountability report is due, a meeting's minutes must be "
            "approved or an application to join must be decided, those who must act are "
            "reminded. Once the deadline has passed, the officers of the unit above are told."
        ),
        "days",
    ),
    "discussion.open_in_wide_space": Label(
        _("Who may open a debate or temperature check in a wide space"),
        _("A wide space is the whole organisation, or a unit or body beyond the reach above."),
    ),
    "minority_positions.who": Label(
        _("Who may attach a minority position to a decision"),
        _(
            "Only members who could take part in the decision. A secret ballot shows no one's "
            "choice, so there only a recognised tendency speaks (or everyone entitled to vote, "
            "if listed)."
        ),
    ),
    "minority_positions.days": Label(
        _("Time after a decision to attach a minority position"), "", "days"
    ),
    "minority_positions.review": Label(
        _("Minority positions reviewed before publication"),
        _("Yes: an officer of the deciding body publishes each one. No: published at once."),
    ),
    "econferences.who_may_call": Label(_("Bodies that may call an e-conference")),
    "mobilisation.organised_by": Label(
        _("Bodies that organise actions"),
        _(
            "Short names of the bodies (a campaigns department, or any body given the "
            "mandate) whose members create and run petitions, events, pledges and appeals "
            "within the body's scope, besides the officers of each unit."
        ),
    ),
    "mobilisation.signer_retention_days": Label(
        _("How long signers who are not members are kept"),
        _(
            "Days after an action closes; then their names, emails, postcodes and phones are "
            "deleted and only the numbers remain."
        ),
        "days",
    ),
    "development.plan_review_days": Label(
        _("Development plans reviewed every"),
        _("The member and their mentor are reminded when a plan's review is due."),
        "days",
    ),
    "constitution.amended_by": Label(
        _("Body that changes the constitution"),
        _(
            "The national body of this kind: its members draft amendments to this rulebook "
            "and vote on them."
        ),
    ),
    "constitution.majority": Label(
        _("Majority needed to change the constitution"),
        _("An amendment not carried by this majority, or without a quorum, is rejected."),
    ),
    "constitution.vote_days": Label(
        _("Shortest vote on an amendment"),
        _("A vote on an amendment stays open at least this long."),
        "days",
    ),
    "decisions.review_reminder_days": Label(
        _("Reminder before a decision's review"),
        _("How long before a decision's review date its body's officers are reminded."),
        "days",
    ),
    "alliances.statement_needs_vote": Label(
        _("Joint statements agreed by vote"),
        _(
            "Yes: a joint statement goes to the assembly or leadership as a motion and is "
            "published once carried. No: its officers record the body's agreement."
        ),
    ),
    "interventions.decision_needed_for": Label(
        _("Interventions that need a decision"),
        _(
            "These kinds of intervention go to the responsible body as a motion; its officers "
            "plan the others themselves."
        ),
    ),
    "interventions.assessment_reminder_days": Label(
        _("Reminder before an assessment is due"),
        _("How long before an intervention's assessment date the body's officers are told."),
        "days",
    ),
    "interventions.escalation_days": Label(
        _("Overdue assessment goes to the body above after"),
        _("An assessment overdue this long is reported to the body above the responsible one."),
        "days",
    ),
}

# Stored codes a member reads in words; by rule where one code means different things.
WORDS: dict[str, Any] = {
    "simple": _("simple majority"),
    "absolute": _("absolute majority"),
    "two_thirds": _("two-thirds majority"),
    "yes_no": _("yes and no"),
    "yes_no_abstain": _("yes, no and abstentions"),
    "entitled": _("everyone entitled to vote"),
    "majority": _("yes or no"),
    "approval": _("approval"),
    "schulze": _("ranked choice (Schulze)"),
    "stv": _("single transferable vote"),
    "winning_votes": _("winning votes"),
    "margin": _("margins"),
    "scottish": _("Scottish STV (2007 order)"),
    "published_seed": _("a published random seed"),
    "members": _("every member"),
    "officers": _("officers only"),
    "leadership": _("elected leaderships"),
    "department": _("departments"),
    "policy_section": _("policy sections"),
    "assembly": _("unit assemblies"),
    "conference": _("conferences"),
    "any": _("any body"),
    "leaflet": _("leaflets"),
    "public_meeting": _("public meetings"),
    "solidarity_action": _("solidarity actions"),
    "election": _("standing in an election"),
    "other": _("other interventions"),
}
WORDS_BY_RULE: dict[str, dict[str, Any]] = {
    "minority_positions.who": {
        "voted_against": _("members whose open ballot went against it"),
        "recognised_tendency": _("a recognised tendency, through its members"),
        "electorate": _("everyone entitled to vote"),
    },
    "constitution.amended_by": {
        "leadership": _("the national leadership"),
        "department": _("a national department"),
        "policy_section": _("a national policy section"),
        "assembly": _("the national assembly"),
        "conference": _("the national conference"),
    },
    **{
        key: {
            "chair": _("chairs"),
            "secretary": _("secretaries"),
            "any": _("every office-holder"),
        }
        for key in ("training.before_standing", "training.within_office")
    },
    "policy.end_early_by": {
        "chair": _("the section's chair"),
        "secretary": _("the section's secretary"),
        "officers": _("the section's officers (chair, secretary, mandate holders)"),
    },
    "policy.support_threshold_kind": {
        "share": _("a share of the members in scope"),
        "absolute": _("a number of members"),
    },
}


def _word(key: str, value: Any) -> str:
    return str(WORDS_BY_RULE.get(key, {}).get(value) or WORDS.get(value, value))


def readable(key: str, value: Any, section_rules: dict[str, Any]) -> str:
    """A rule's value as a member reads it."""
    unit = LABELS[key].unit if key in LABELS else ""
    if unit == "threshold":
        unit = "share" if section_rules.get("support_threshold_kind") == "share" else "members"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(_word(key, v) for v in value) or str(_("none"))
    if isinstance(value, dict):
        return "; ".join(
            f"{_word(key, k)}: {', '.join(map(str, v))}" for k, v in value.items()
        ) or str(_("none"))
    if unit == "share":
        return f"{value * 100:g}%"
    if unit == "days":
        return ngettext("%(n)s day", "%(n)s days", value) % {"n": value}
    if unit == "months":
        return ngettext("%(n)s month", "%(n)s months", value) % {"n": value}
    if unit == "minutes":
        return ngettext("%(n)s minute", "%(n)s minutes", value) % {"n": value}
    if unit == "members":
        return ngettext("%(n)s member", "%(n)s members", value) % {"n": value}
    if isinstance(value, str):
        return _word(key, value)
    return str(value)


def rulebook_as_read(rules: dict[str, Any]) -> list[dict[str, Any]]:
    """Sections and rules in the schema's order, each with its label, help and readable value."""
    sections = []
    for section, fields in RULES.items():
        given = rules.get(section) or {}
        rows = []
        for name in fields:
            if name not in given:
                continue
            key = f"{section}.{name}"
            label = LABELS.get(key)
            rows.append(
                {
                    "key": key,
                    "label": label.label if label else name.replace("_", " ").capitalize(),
                    "help": label.help if label else "",
                    "value": readable(key, given[name], given),
                }
            )
        if rows:
            title = SECTIONS.get(section, section.capitalize())
            sections.append({"key": section, "title": title, "rules": rows})
    return sections
