"""Uploads are served only by the permission-checked download view, in development too."""

import importlib

import pytest
from django.urls import clear_url_caches, reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls_as_in_development(settings):
    """The URLs as a development server (DEBUG on) builds them, restored afterwards."""
    settings.DEBUG = True
    module = importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(module)
    clear_url_caches()


def test_with_debug_on_media_does_not_hand_an_upload_to_another_unit(
    library, client, urls_as_in_development, settings
):
    document = library.add(title="Leeds disciplinary notes")
    stored = document.current_version.file.name
    client.force_login(library.outsider)
    assert client.get(settings.MEDIA_URL + stored).status_code == 404
    client.logout()
    assert client.get(settings.MEDIA_URL + stored).status_code == 404
    client.force_login(library.outsider)
    download = reverse("library:download", args=[document.pk, 1])
    assert client.get(download).status_code == 404
    client.force_login(library.member)
    assert client.get(download).status_code == 200
