"""Uploaded files kept for an import preview are deleted once their token has expired."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from core import imports
from core.tasks import purge_import_previews


@pytest.fixture
def previews(monkeypatch):
    old = default_storage.save("imports/old.xlsx", ContentFile(b"510402199001011234"))
    new = default_storage.save("imports/new.xlsx", ContentFile(b"510402199001011234"))
    now = timezone.now()
    ages = {old: now - timedelta(hours=2), new: now - timedelta(minutes=5)}
    # other tests may have left previews of their own: fresh, as far as this test goes
    monkeypatch.setattr(default_storage, "get_modified_time", lambda path: ages.get(path, now))
    yield old, new
    for path in (old, new):
        if default_storage.exists(path):
            default_storage.delete(path)


def test_expired_previews_are_deleted_and_fresh_ones_kept(previews):
    old, new = previews
    assert imports.previews_purge() == 1
    assert not default_storage.exists(old)
    assert default_storage.exists(new)
    assert imports.previews_purge() == 0  # a rerun deletes nothing more


def test_the_task_runs_the_purge(previews):
    assert purge_import_previews.apply().get() == 1


def test_the_purge_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "core.purge_import_previews" in tasks
