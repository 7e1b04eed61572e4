"""Settings for the worker of the send kill tests: batches of 50, emails as files in a folder."""

import os

from commonweal.notifications.tests.worker_settings import *  # noqa: F403

EMAIL_BACKEND = "commonweal.notifications.tests.stalling_mail.StallingBackend"
EMAIL_FILE_PATH = os.environ.get("COMMONWEAL_TEST_MAIL_DIR", "")
NOTIFICATIONS_EMAIL_BATCH = 50
