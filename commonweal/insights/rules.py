"""Who may look at the dashboards: members in good standing, and administrators.

Which unit or body one may look at is `selectors.may_see_unit` / `may_see_body`; a unit or
body one may not see is a 404, like anywhere else.
"""

import rules

from commonweal.organisation.rules import is_administrator, is_member

rules.add_perm("insights.look", is_member | is_administrator)
