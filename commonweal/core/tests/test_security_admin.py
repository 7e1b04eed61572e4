"""Trust I, finding 9: the Django admin is never a second way to change the organisation.

An administrator made a York member chair of the national committee in the admin: no record
entry, no notification, and the new chair could decide applications. Each registered admin
is tried the way a browser would (the add and change forms as the page renders them, the
delete confirmation, every bulk action, the extra pages); nothing may change. The one write
the admin keeps, staging a rulebook version, goes through the service and its record entry.
"""

import json
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from commonweal.members.services import member_apply
from commonweal.organisation.services import mandate_grant
from commonweal.record.models import Entry
from commonweal.record.services import subject_of
from commonweal.record.tasks import seal_record
from commonweal.rulebook.models import RulebookVersion
from commonweal.rulebook.services import load_toml
from conftest import TOTP_SECRET

pytestmark = pytest.mark.django_db

# What a browser adds to the page's form, per model: a York member as national chair, a
# shadow unit, a second factor removed ... (keys are model labels).
ADDED = {
    "auth.group": {"name": "Everything"},
    "django_tasks_database.dbtaskresult": {"status": "SUCCEEDED"},
    "account.emailaddress": {"email": "taker@example.org", "verified": "on", "primary": "on"},
    "mfa.authenticator": {"type": "recovery_codes", "data": "{}"},
    "organisation.unit": {"name": "Shadow", "kind": "branch", "_position": "first-child"},
    "organisation.body": {"name": "Shadow committee", "kind": "leadership", "slug": "shadow"},
    "organisation.bodymembership": {"role": "chair", "since": "2026-01-01"},
    "organisation.mandate": {"office": "Chair", "starts_on": "2026-01-01", "ends_on": "2027-12-31"},
    "members.member": {
        "email": "planted@example.org",
        "full_name": "Planted",
        "password1": "a-long-test-password-42",
        "password2": "a-long-test-password-42",
    },
    "members.membershipapplication": {"status": "accepted", "applied_at_0": "2026-01-01"},
}
CHANGED = {
    "auth.group": {"name": "Renamed"},
    "django_tasks_database.dbtaskresult": {"status": "SUCCEEDED"},
    "account.emailaddress": {"email": "taker@example.org", "verified": "on"},
    "mfa.authenticator": {"type": "recovery_codes"},
    "organisation.unit": {"name": "Renamed"},
    "organisation.body": {"name": "Renamed"},
    "organisation.bodymembership": {"role": "chair"},
    "organisation.mandate": {"office": "Treasurer", "ends_on": "2030-12-31"},
    "members.member": {"status": "suspended", "is_superuser": "on", "is_staff": "on"},
    "members.membershipapplication": {"status": "accepted"},
    "rulebook.rulebookversion": {"note": "Edited after the fact"},
}


class _Form(HTMLParser):
    """The fields a browser would send from the page's model form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, object] = {}
        self._in_form = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def _form_data(client, url: str) -> dict:
    page = client.get(url)
    form = _Form()
    form.feed(page.content.decode())
    return form.data


def _snapshot() -> dict:
    return {
        model._meta.label_lower: list(model._default_manager.order_by("pk").values())
        for model in admin.site._registry
    }


@pytest.fixture
def world(org, make_member, make_officer):
    """One row of every model the admin shows, and a superuser at the keyboard."""
    york_member = make_member(unit=org.york)
    officer = make_officer(org.leeds)
    EmailAddress.objects.create(user=york_member, email=york_member.email, primary=True)
    Group.objects.create(name="Helpers")
    seal_record.enqueue()
    mandate_grant(body=org.leadership, holder=officer, office="Secretary")
    member_apply(
        email="applicant@example.org",
        full_name="An Applicant",
        unit=org.york,
        password="a-long-test-password-42",
    )
    superuser = make_member(unit=org.leeds, is_staff=True, is_superuser=True)
    TOTP.activate(superuser, TOTP_SECRET)
    links = {
        "user": york_member.pk,
        "member": york_member.pk,
        "holder": york_member.pk,
        "applicant": york_member.pk,
        "body": org.leadership.pk,
        "unit": org.york.pk,
        "_ref_node_id": org.nation.pk,
    }
    return superuser, links


def _admins():
    return sorted(model._meta.label_lower for model in admin.site._registry)


def test_every_registered_admin_is_covered():
    assert set(_admins()) == set(ADDED) | {"rulebook.rulebookversion"}
    assert set(CHANGED) == set(_admins())


@pytest.mark.parametrize("label", _admins())
def test_the_admin_changes_nothing_behind_the_record(client, world, label):
    superuser, links = world
    model = apps.get_model(label)
    model_admin = admin.site._registry[model]

    def url(name: str, *args) -> str:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)

    client.force_login(superuser)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None
    change_url = url("change", obj.pk)
    assert client.get(change_url).status_code == 200  # the admin still shows the data
    before, versions, entries = _snapshot(), RulebookVersion.objects.count(), Entry.objects.count()

    def unchanged(step: str) -> None:
        assert _snapshot() == before, f"{step} changed {label} behind the record"
        assert RulebookVersion.objects.count() == versions, step
        assert Entry.objects.count() == entries, step

    add_url = url("add")
    added = {**_form_data(client, add_url), **links, **ADDED.get(label, {}), "_save": "Save"}
    if label == "rulebook.rulebookversion":  # an invalid rulebook: the service refuses it
        added = {**_form_data(client, add_url), "rules": "{}", "_save": "Save"}
    client.post(add_url, added)
    unchanged("adding")
    client.post(change_url, {**_form_data(client, change_url), **CHANGED[label], "_save": "Save"})
    unchanged("changing")
    changelist = url("changelist")
    for action in {"delete_selected", *(type(model_admin).actions or [])}:
        selected = {"action": action, "_selected_action": [obj.pk], "index": 0, "post": "yes"}
        client.post(changelist, selected)
        unchanged(f"the action {action}")
    client.post(url("delete", obj.pk), {"post": "yes"})
    unchanged("deleting")
    if label == "members.member":
        password = "hijacked-password-42"
        client.post(
            reverse("admin:auth_user_password_change", args=[obj.pk]),
            {"password1": password, "password2": password, "usable_password": "true"},
        )
        unchanged("setting a password")
    if label == "organisation.unit":
        move = {"node": links["unit"], "target": links["_ref_node_id"], "relation": "child"}
        client.post(changelist + "move/", move)
        unchanged("moving a unit")


def test_staging_a_rulebook_in_the_admin_goes_through_the_service_and_the_record(client, world):
    """The one write the admin keeps: rulebook_stage validates it and records it."""
    superuser, _links = world
    client.force_login(superuser)
    rules = load_toml(settings.COMMONWEAL_DEFAULT_RULEBOOK)
    add_url = reverse("admin:rulebook_rulebookversion_add")
    client.post(add_url, {"rules": json.dumps(rules), "note": "Staged in the admin", "_save": "1"})
    staged = RulebookVersion.objects.get(status=RulebookVersion.Status.STAGED)
    assert Entry.objects.filter(kind="rulebook.staged", subject=subject_of(staged)).exists()
