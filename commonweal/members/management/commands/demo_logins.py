from django.core.management.base import BaseCommand

from commonweal.core.demo import DEMO_PASSWORD
from commonweal.members.models import Member

DEMO_ROLES = [
    ("admin@commonweal.demo", "administrator, national committee chair (a national officer)"),
    ("transport.chair@commonweal.demo", "chair of the Transport policy section"),
    ("leeds.secretary@commonweal.demo", "secretary of the Leeds branch"),
    ("member@commonweal.demo", "member of the Leeds branch and the Transport section, no office"),
    ("applicant@commonweal.demo", "has applied to join, waiting for a decision"),
]


class Command(BaseCommand):
    help = "Print the demo logins."

    def handle(self, *args, **options):
        present = set(
            Member.objects.filter(email__in=[e for e, _ in DEMO_ROLES]).values_list(
                "email", flat=True
            )
        )
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, role in DEMO_ROLES:
            if email in present:
                self.stdout.write(f"  {email:<36} {role}")
