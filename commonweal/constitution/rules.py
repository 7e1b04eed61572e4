"""Who may draft and submit an amendment to the constitution: the members of the body the
rulebook names (``constitution.amended_by``), while they are members in good standing."""

import rules

from commonweal.organisation.rules import belongs_to_body, is_member

from .selectors import competent_body


@rules.predicate
def in_competent_body(user) -> bool:
    return bool(is_member(user) and belongs_to_body(user, competent_body()))


rules.add_perm("constitution.amend", in_competent_body)
