import json

from django.core.management.base import BaseCommand, CommandError

from commonweal.voting import selectors
from commonweal.voting.models import Vote


class Command(BaseCommand):
    help = (
        "Export a closed vote's published ballots and count them again with the live tally; "
        "say whether the result matches the stored one."
    )

    def add_arguments(self, parser):
        parser.add_argument("vote", type=int, help="the vote's id")
        parser.add_argument("--export", help="also write the ballot file to this path")

    def handle(self, *args, vote, export=None, **options):
        found = Vote.objects.filter(pk=vote).first()
        if found is None:
            raise CommandError(f"No vote {vote}.")
        if not found.is_closed:
            raise CommandError(f"Vote {vote} is not closed yet.")
        if export:
            with open(export, "w", encoding="utf-8") as handle:
                handle.write(selectors.published_ballots_json(found))
        result, same = selectors.vote_recount(found)
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        if not same:
            raise CommandError("The recount does NOT match the stored result.")
        self.stdout.write(self.style.SUCCESS("The recount matches the stored result."))
