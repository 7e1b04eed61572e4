from django.core.management.base import BaseCommand, CommandError

from commonweal.core.errors import Conflict, NotPermitted
from commonweal.members.models import Member
from commonweal.members.services import member_erase


class Command(BaseCommand):
    help = (
        "Erase a member's personal data on their written request, as the administrator named "
        "by --by (docs/privacy.md); also how erasures are made again after restoring an older "
        "backup (each is a member.erased entry in the record)."
    )

    def add_arguments(self, parser):
        parser.add_argument("member", type=int, help="the member's id")
        parser.add_argument("--by", required=True, help="the administrator's email address")

    def handle(self, *args, member, by, **options):
        found = Member.objects.filter(pk=member).first()
        if found is None:
            raise CommandError(f"No member {member}.")
        administrator = Member.objects.filter(email__iexact=by.strip(), is_active=True).first()
        if administrator is None:
            raise CommandError(f"No active account {by}.")
        try:
            member_erase(member=found, requested_by=administrator)
        except (NotPermitted, Conflict) as exc:
            raise CommandError(f"Refused: {exc.message}") from exc
        self.stdout.write(f"Member {member} erased.")
