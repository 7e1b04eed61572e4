"""Who may search: members in good standing (in their own scope) and administrators."""

import rules

from commonweal.organisation.rules import is_administrator, is_member

rules.add_perm("search.search", is_member | is_administrator)
