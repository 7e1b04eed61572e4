"""Make the search index again from every app's items (after a restore, or a new kind)."""

from django.core.management.base import BaseCommand, CommandError

from commonweal.search.registry import sources
from commonweal.search.services import index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from the items themselves, kind by kind (default: all)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*", help="e.g. policy.proposal")

    def handle(self, *args, kinds, **options):
        unknown = sorted(set(kinds) - set(sources()))
        if unknown:
            raise CommandError(
                f"No such kind: {', '.join(unknown)}. Kinds: {', '.join(sorted(sources()))}."
            )
        for kind, count in index_rebuild(kinds or None).items():
            self.stdout.write(f"{kind}: {count}")
