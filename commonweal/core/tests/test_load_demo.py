"""The demo loader refuses an organisation too small for its story, before writing anything."""

import io

import pytest
from django.core.management import call_command

from commonweal.members.models import Member

pytestmark = pytest.mark.django_db


def test_too_few_members_is_refused_with_a_message_and_loads_nothing():
    err = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("load_demo", members=100, stdout=io.StringIO(), stderr=err)
    assert stopped.value.code == 2
    assert "at least 200 members" in err.getvalue()
    assert not Member.objects.exists()
