import json

from django.core.management.base import BaseCommand, CommandError

from commonweal.voting import counting, tallying


class Command(BaseCommand):
    help = (
        "Count a published-ballots JSON file (docs/ballot-format.md) with exactly the code of "
        "the live tally and print the result as JSON; the result states the convention used."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the ballot file")
        parser.add_argument("--seed", help="lot seed (default: sha256 of the canonical file)")
        parser.add_argument(
            "--majority", default="simple", choices=["simple", "absolute", "two_thirds"]
        )
        parser.add_argument(
            "--base", default=None, choices=["yes_no", "yes_no_abstain", "entitled"]
        )
        parser.add_argument("--entitled", type=int, help="members entitled to vote")
        parser.add_argument("--quorum", type=int, help="ballots needed for the vote to count")
        parser.add_argument("--strength", default="winning", choices=["winning", "margin"])
        parser.add_argument("--rule", default=None, help="STV rule (scottish)")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as handle:
                election = json.load(handle)
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        if (
            isinstance(election, dict)
            and election.get("method") in counting.fileformat.STV_VARIANTS
        ):
            options["rule"] = (
                options["rule"] or counting.fileformat.STV_VARIANTS[election["method"]]
            )
            election = {**election, "method": "stv"}
        base = options["base"] or (
            "entitled"
            if options["majority"] == "absolute" and options["entitled"]
            else ("yes_no_abstain" if options["majority"] == "absolute" else "yes_no")
        )
        try:
            result = tallying.tally(
                election,
                seed=options["seed"],
                entitled=options["entitled"],
                quorum=options["quorum"],
                majority=options["majority"],
                base=base,
                strength=options["strength"],
                rule=options["rule"] or "scottish",
            )
        except (counting.BallotError, counting.OptionError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        self.stderr.write(f"Convention: {result['convention']}")
