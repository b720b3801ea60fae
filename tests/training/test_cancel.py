"""The person cancels their enrollment before the session starts (issue #20)."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.conftest import client_for
from training import services
from training.models import Enrollment, EnrollmentStatus

from .factories import EnrollmentFactory, SessionFactory, evening

pytestmark = pytest.mark.django_db


def test_the_person_cancels_and_the_seat_is_free(staff_user, person_a):
    me = staff_user.staff_profile
    session = SessionFactory(capacity=1)
    [mine] = services.enrollment_add(actor=staff_user, session=session, people=[me])
    services.enrollment_cancel(actor=staff_user, enrollment=mine)
    assert not Enrollment.objects.filter(pk=mine.pk).exists()
    removed = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_pk=str(mine.pk))
    assert removed.actor == staff_user and removed.additional_data["reason"]
    # the seat is free: the person (or someone else) can take it
    services.enrollment_add(actor=staff_user, session=session, people=[me])


def test_refusals_change_nothing(staff_user, person_a):
    me = staff_user.staff_profile
    started = EnrollmentFactory(session=SessionFactory(starts_at=evening(-1)), staff=me)
    with pytest.raises(ValidationError):
        services.enrollment_cancel(actor=staff_user, enrollment=started)
    attended = EnrollmentFactory(staff=me, status=EnrollmentStatus.ATTENDED)
    with pytest.raises(ValidationError):
        services.enrollment_cancel(actor=staff_user, enrollment=attended)
    someone_else = EnrollmentFactory(staff=person_a)
    with pytest.raises(PermissionDenied):
        services.enrollment_cancel(actor=staff_user, enrollment=someone_else)
    assert Enrollment.objects.count() == 3


def test_the_button_and_the_page(staff_user):
    me = staff_user.staff_profile
    session = SessionFactory()
    client = client_for(staff_user)
    [mine] = services.enrollment_add(actor=staff_user, session=session, people=[me])
    page = client.get(reverse("training:session_detail", args=[session.pk])).content.decode()
    assert 'data-testid="cancel-enrollment"' in page
    response = client.post(reverse("training:enrollment_cancel", args=[mine.pk]), follow=True)
    body = response.content.decode()
    assert "已取消报名" in body
    assert 'data-testid="self-enroll"' in body  # may enroll again
    assert not Enrollment.objects.filter(pk=mine.pk).exists()


def test_a_started_session_says_why(staff_user):
    me = staff_user.staff_profile
    started = EnrollmentFactory(session=SessionFactory(starts_at=evening(-1)), staff=me)
    client = client_for(staff_user)
    response = client.post(reverse("training:enrollment_cancel", args=[started.pk]), follow=True)
    assert "已经开始" in response.content.decode()
    assert Enrollment.objects.filter(pk=started.pk).exists()
