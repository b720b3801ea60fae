"""The top bar's language switch: the page's language (Django's cookie) and, for a signed-in
person, their own ``User.language``, which their notices and e-mails follow (issue #20)."""

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.test import Client
from django.urls import reverse

from staff.models import User

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_person_keeps_the_language_chosen_for_their_notices():
    person = UserFactory(role="staff", language="zh-hans")
    client = Client()
    client.force_login(person)
    answer = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert answer.status_code == 302
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    person.refresh_from_db()
    assert person.language == "en"
    change = LogEntry.objects.get_for_object(person).latest("timestamp")
    assert change.changes_dict["language"] == ["zh-hans", "en"]
    assert change.actor == person
    # an unknown code changes neither the person nor the page
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"


def test_a_visitor_only_gets_the_cookie():
    answer = Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert not User.objects.filter(language="en").exists()


def test_the_switch_takes_posts_only():
    assert Client().get(reverse("set_language")).status_code == 405
