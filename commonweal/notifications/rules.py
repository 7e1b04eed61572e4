"""Who may send urgent alerts: officers of the unit or of a unit above it."""

import rules

from commonweal.organisation.rules import is_administrator, is_officer_of_unit

rules.add_perm("notifications.send_alert", is_officer_of_unit | is_administrator)
