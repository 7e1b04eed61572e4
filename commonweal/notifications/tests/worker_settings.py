"""Settings for the worker subprocess of the kill test: small batches, short lease, no mail out."""

from commonweal.config.settings import *  # noqa: F403

NOTIFICATIONS_FAN_OUT_BATCH = 100
NOTIFICATIONS_FAN_OUT_LEASE = 2
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
