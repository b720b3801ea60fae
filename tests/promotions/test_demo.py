"""The demo center has the promotion workflow in every state, made through the services."""

from datetime import date

from auditlog.models import LogEntry
from django.core.management import call_command

from promotions.evidence.snapshots import verify
from promotions.models import Recommendation, ReferenceRequest, RotationPlan
from staff.models import Staff


def state_of_things():
    return (
        sorted(Recommendation.objects.values_list("staff__staff_number", "state", "kind")),
        sorted(ReferenceRequest.objects.values_list("staff__staff_number", "state", "due_date")),
        sorted(RotationPlan.objects.values_list("staff__staff_number", "planned_start")),
        sorted(Staff.objects.filter(is_reserve_cadre=True).values_list("staff_number", flat=True)),
    )


def test_demo_has_the_workflow_in_every_state(db):
    call_command("seed_demo", staff=200, verbosity=0)
    states = set(Recommendation.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "adopted", "not_adopted"}
    for rec in Recommendation.objects.exclude(state="draft").select_related("snapshot"):
        assert verify(rec.snapshot)
    assert (
        Recommendation.objects.filter(staff__department__code="SCJG")
        .exclude(state="draft")
        .exists()
    )  # the demo liaison sees one
    refs = set(ReferenceRequest.objects.values_list("state", flat=True))
    assert refs == {"open", "answered"}
    assert ReferenceRequest.objects.filter(state="open", due_date__lt=date.today()).exists()
    assert RotationPlan.objects.count() == 3
    assert Staff.objects.filter(is_reserve_cadre=True).count() >= 4
    assert LogEntry.objects.filter(content_type__model="recommendation").exists()


def test_demo_picks_people_deterministically(db):
    """The people are a function of the seeded data (itself deterministic, tests/test_demo.py),
    so computing the pick again after seeding gives exactly who was seeded."""
    from datetime import date

    from demo import promotions as demo

    call_command("seed_demo", staff=100, verbosity=0)
    recommended, asked, reserve = demo.pick(date.today())
    numbers = lambda people: sorted(p.staff_number for p in people)  # noqa: E731
    recs, refs, plans, reserves = state_of_things()
    assert sorted(n for n, _, _ in recs) == numbers(recommended)
    assert sorted(n for n, _, _ in refs) == numbers(asked)
    assert set(numbers(reserve)) <= set(reserves)  # the staff demo marks a few too
    assert len(plans) == 3
    assert {n for n, _ in plans} <= set(numbers(reserve))
