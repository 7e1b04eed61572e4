"""Who may edit the public website's texts: the national leadership's officers."""

import rules

from commonweal.organisation.rules import is_administrator, is_national_officer

rules.add_perm("website.change_sitetext", is_national_officer | is_administrator)
