"""An invitation's link is not in the task queue: the worker makes its token.

Finding "Trust II" 9: the external invitation's token was passed to the email task as an
argument, and django_tasks_db stores task arguments (and results) in the database, so
whoever could read that table could comment as the invited group. Now the task gets the
invitation's id and makes the token as it sends the email.
"""

import json
import re

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from commonweal.policy import services

pytestmark = pytest.mark.django_db


def test_the_queue_holds_the_invitations_id_and_no_token(consulting, chair, on_commit, run_worker):
    invitation = services.external_invite(
        proposal=consulting, by=chair, name="Better Buses", email="hello@betterbuses.example"
    )
    on_commit()
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="email_invitation")
    assert queued.args_kwargs == {"args": [invitation.pk], "kwargs": {}}

    run_worker()
    token = re.search(r"/policy/external/([^/\s]+)", mail.outbox[-1].body).group(1)
    assert services.external_access(token) == invitation
    stored = json.dumps(
        list(DBTaskResult.objects.values_list("args_kwargs", "return_value", "traceback"))
    )
    assert token not in stored
