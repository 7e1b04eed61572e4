"""Settings for the fan-out benchmark's workers: the batch size comes from the command line."""

import os

from commonweal.config.settings import *  # noqa: F403

NOTIFICATIONS_FAN_OUT_BATCH = int(os.environ.get("COMMONWEAL_FAN_OUT_BATCH", "20000"))
