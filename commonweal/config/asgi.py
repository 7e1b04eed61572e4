"""The ASGI entry point (uvicorn): Django, with the ballot box in front for API casts."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.config.settings")
django_application = get_asgi_application()

from commonweal.voting.ballot_box import BallotBox  # noqa: E402 - needs Django set up first

application = BallotBox(django_application)
