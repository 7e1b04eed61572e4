"""Who may see, add to, download from and withdraw from a body's library.

Permissions on a body take the Body; permissions on a document take the Document
and ask the same questions of its body.
"""

import rules

from commonweal.organisation.rules import (
    belongs_to_body,
    in_scope_of_body,
    is_administrator,
    is_member,
    is_officer_of_body,
)


@rules.predicate
def may_read_library(user, body) -> bool:
    """Members whose unit lies in the body's scope, and the body's own members."""
    return bool(is_member(user) and (in_scope_of_body(user, body) or belongs_to_body(user, body)))


@rules.predicate
def may_add_to_library(user, body) -> bool:
    return bool(is_member(user) and (belongs_to_body(user, body) or is_officer_of_body(user, body)))


@rules.predicate
def is_officer_of_library(user, body) -> bool:
    return bool(is_officer_of_body(user, body))


def _of_document(predicate):
    @rules.predicate(name=f"{predicate.name}_of_document")
    def check(user, document) -> bool:
        return document is not None and predicate.test(user, document.body)

    return check


@rules.predicate
def is_current(user, document) -> bool:
    return document is not None and not document.is_withdrawn


may_read_document = _of_document(may_read_library)
may_add_to_document = _of_document(may_add_to_library)
is_officer_of_document = _of_document(is_officer_of_library)

rules.add_perm("library.view_library", may_read_library | is_administrator)
rules.add_perm("library.add_document", may_add_to_library)
rules.add_perm("library.view_downloads", is_officer_of_library | is_administrator)
rules.add_perm("library.view_document", may_read_document | is_administrator)
rules.add_perm(
    "library.download_document",
    (may_read_document & is_current) | is_officer_of_document | is_administrator,
)
rules.add_perm("library.add_version", may_add_to_document)
rules.add_perm("library.withdraw_document", is_officer_of_document | is_administrator)
