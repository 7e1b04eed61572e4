"""The demo organisation's about and join texts, written as its officers would."""

from commonweal.website.services import site_text_edit

ABOUT = """We are a democratic organisation run by its members.

- **Policy from the bottom up**: any member can propose a policy; the members decide.
- **Accountable leaders**: every officer is elected for a term, reports back, and can be recalled.
- **Open records**: every decision and set of minutes is sent to the bodies concerned.
"""
JOIN = """Membership is open to everyone who shares our aims.

1. Choose the branch where you live or work.
2. Tell us a little about yourself.
3. The branch officers welcome you, usually within a week.
"""


def load(ctx) -> None:
    admin = ctx.people["admin"]
    site_text_edit(slug="about", title="What we are", body=ABOUT, edited_by=admin)
    site_text_edit(slug="join", title="How to join", body=JOIN, edited_by=admin)
    ctx.say("  website: about and join texts")
