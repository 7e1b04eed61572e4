import random
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from commonweal.core.demo import DEMO_PASSWORD, DemoContext, demo_modules
from commonweal.members.models import Member

# The smallest organisation every app's demo story fits in (checked down to 200).
MIN_MEMBERS = 200


class Command(BaseCommand):
    help = "Load a deterministic, realistic demo organisation (2,000 members by default)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has members.",
        )

    def handle(self, *args, members: int, seed: int, if_empty: bool, **options):
        if Member.objects.exists():
            if if_empty:
                self.stdout.write("The demo organisation is already loaded; reusing it.")
                return
            self.stderr.write(
                "The database already has members: load the demo into an "
                "empty database (or use --if-empty)."
            )
            raise SystemExit(1)
        if members < MIN_MEMBERS:
            self.stderr.write(
                f"The demo needs at least {MIN_MEMBERS} members: every branch gets officers, "
                "supporters and voters of its own."
            )
            raise SystemExit(2)
        ctx = DemoContext(seed=seed, members=members, rng=random.Random(seed), out=self.stdout)
        started = time.monotonic()
        for module in demo_modules():
            step = time.monotonic()
            ctx.say(f"Loading {module.__name__.split('.')[1]} ...")
            with transaction.atomic():
                module.load(ctx)
            ctx.say(f"  done in {time.monotonic() - step:.1f}s")
        ctx.say(
            f"Demo organisation loaded in {time.monotonic() - started:.1f}s "
            f"({members:,} members). Password for every demo login: {DEMO_PASSWORD}"
        )
