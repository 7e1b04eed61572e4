"""Expiry and stall detection, driven by the task worker with a pinned clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from commonweal.core import clock
from commonweal.notifications.models import Notification
from commonweal.policy import selectors
from commonweal.policy.models import Stage
from commonweal.policy.tasks import sweep

pytestmark = pytest.mark.django_db


def _sweep_at(moment, run_worker):
    with clock.frozen(moment):
        sweep.enqueue()
        run_worker()


def test_an_unsupported_proposal_expires_at_its_deadline_and_the_author_is_told(
    propose, author, run_worker
):
    proposal = propose()
    deadline = proposal.stage_deadline
    _sweep_at(deadline - timedelta(minutes=1), run_worker)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.PROPOSED
    _sweep_at(deadline + timedelta(minutes=1), run_worker)
    proposal.refresh_from_db()
    assert proposal.stage == Stage.EXPIRED
    assert Notification.objects.filter(recipient=author, event__kind="policy.expired").count() == 1
    _sweep_at(deadline + timedelta(days=1), run_worker)
    assert Notification.objects.filter(recipient=author, event__kind="policy.expired").count() == 1


def test_a_launched_proposal_never_expires(launched, run_worker):
    _sweep_at(launched.created_at + timedelta(days=31), run_worker)
    launched.refresh_from_db()
    assert launched.stage != Stage.EXPIRED


def test_a_stalled_step_is_flagged_and_the_chair_reminded_once_a_day_until_it_moves(
    launched, chair, author, run_worker
):
    from commonweal.policy import services

    deadline = launched.stage_deadline
    _sweep_at(deadline - timedelta(hours=1), run_worker)
    launched.refresh_from_db()
    assert launched.stalled_since is None
    reminders = Notification.objects.filter(recipient=chair, event__kind="policy.stalled")

    # "Once a day" is by the calendar: noon the day after the deadline, so that the next
    # hour is the same day whatever time of day the test runs.
    noon = timezone.localtime(deadline + timedelta(days=1)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    _sweep_at(noon, run_worker)
    launched.refresh_from_db()
    assert launched.stalled_since == deadline
    assert list(selectors.stalled()) == [launched]
    assert selectors.timeline(launched)[-1]["stalled"]
    assert reminders.count() == 1

    _sweep_at(noon + timedelta(hours=1), run_worker)
    assert reminders.count() == 1, "not twice on the same day"

    _sweep_at(noon + timedelta(days=1), run_worker)
    assert reminders.count() == 2

    with clock.frozen(noon + timedelta(days=1, hours=1)):
        scope = services.scope_propose(proposal=launched, by=chair, areas="Fares")
        services.scope_answer(scope=scope, by=author, agree=True)
    launched.refresh_from_db()
    assert launched.stalled_since is None
    assert list(selectors.stalled()) == []
    _sweep_at(noon + timedelta(days=2), run_worker)
    assert reminders.count() == 2, "no reminder once it has moved"
