"""The demo adds a year of joint management, deterministic and valid."""

from datetime import date

from auditlog.models import LogEntry
from django.core.management import call_command
from django.db.models import Q

from joint.models import FollowUp, FollowUpState, Talk, TalkRequest, Visit


def snapshot():
    return (
        list(
            Talk.objects.order_by("id").values_list("staff__staff_number", "date", "kind", "level")
        ),
        list(Visit.objects.order_by("id").values_list("department__code", "date")),
        list(FollowUp.objects.order_by("id").values_list("due_date", "state")),
    )


def test_demo_adds_a_year_of_joint_management(db):
    call_command("seed_demo", staff=300, verbosity=0)
    today = date.today()
    assert Visit.objects.count() > 20
    assert Talk.objects.count() > 150
    assert Talk.objects.filter(level="private").exists()
    assert not Talk.objects.filter(date__gt=today).exists()
    assert FollowUp.objects.filter(state=FollowUpState.RESOLVED).exists()
    assert FollowUp.objects.filter(state=FollowUpState.OPEN).exists()
    assert not FollowUp.objects.filter(
        Q(state=FollowUpState.RESOLVED, resolved_on__isnull=True)
        | Q(resolved_on__lt=date(2000, 1, 1))
    ).exists()
    assert TalkRequest.objects.exists()
    for talk in Talk.objects.select_related("staff")[:50]:
        talk.full_clean()
    assert LogEntry.objects.filter(content_type__model="talk", object_pk="*").exists()


def test_demo_is_deterministic(db):
    import random

    from demo import joint as demo

    call_command("seed_demo", staff=100, verbosity=0)
    runs = []
    for _ in range(2):
        for model in (TalkRequest, FollowUp, Talk, Visit):
            model.objects.all().delete()
        demo.build(rng=random.Random(5), today=date(2026, 6, 30))
        runs.append(snapshot())
    assert runs[0] == runs[1] and runs[0][0]
