"""Every assessments URL and API route × every persona → expected status."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.models import Award, AwardKind, PeriodKind, Score
from assessments.services.appeals import appeal_submit
from assessments.services.entries import entry_record
from assessments.services.ratings import rating_record
from assessments.services.scores import period_for_date, period_get_or_create, score_recompute
from staff.models import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.matrix import LOGIN, PERSONAS, Case, expect, run_case

from .helpers import png

P = lambda o: [o["period"].pk]  # noqa: E731
E_SELF = lambda o: [o["entry_self"].pk]  # noqa: E731
E_A = lambda o: [o["entry_a"].pk]  # noqa: E731
E_B = lambda o: [o["entry_b"].pk]  # noqa: E731
EV = lambda o: [o["evidence"].pk]  # noqa: E731
AP = lambda o: [o["appeal"].pk]  # noqa: E731
C_SELF = lambda o: [o["case_self"].pk]  # noqa: E731
C_B = lambda o: [o["case_b"].pk]  # noqa: E731
S_B = lambda o: [o["score_b"].pk]  # noqa: E731
R_B = lambda o: [o["rating_b"].pk]  # noqa: E731
AW_B = lambda o: [o["award_b"].pk]  # noqa: E731
RULE = lambda o: [o["rule"].pk]  # noqa: E731
Y = lambda o: [o["year"].pk]  # noqa: E731
X_B = lambda o: [o["extension_b"].pk]  # noqa: E731
CB_B = lambda o: [o["call_back_b"].pk]  # noqa: E731
YS_A = lambda o: [o["year_score_a"].pk]  # noqa: E731
YS_B = lambda o: [o["year_score_b"].pk]  # noqa: E731


def WINDOW_INPUT(o):
    return {
        "window": o["world"]["window_a"].pk,
        "efficiency": "80",
        "duty_votes": 1,
        "public_votes": 2,
    }


NOTE = lambda o: {"note": "理由说明"}  # noqa: E731
ADMIN_ONLY = {"liaison_a": 403, "liaison_b": 403, "hr": 403, "staff": 403}
API_ADMIN_ONLY = {"anonymous": 403, **ADMIN_ONLY}

MATRIX = [
    # browser
    Case("assessments:board", expect(staff=403)),
    Case("assessments:period_close", expect(admin=302, **ADMIN_ONLY), args=P, method="post"),
    Case("assessments:period_recompute", expect(admin=302, **ADMIN_ONLY), args=P, method="post"),
    Case(
        "assessments:award_select",
        expect(admin=302, **ADMIN_ONLY),
        args=P,
        method="post",
        data=lambda o: {"kind": "service_star"},
    ),
    Case("assessments:results", expect(staff=403), args=Y),
    Case(
        "assessments:results",
        expect(staff=403, admin=404, liaison_a=404, liaison_b=404, hr=404),
        args=P,
    ),
    Case("assessments:window_inputs", expect(staff=403), args=P),
    Case(
        "assessments:window_inputs",
        expect(admin=302, **ADMIN_ONLY),
        args=P,
        method="post",
        data=WINDOW_INPUT,
    ),
    Case(
        "assessments:review_set",
        expect(admin=302, **ADMIN_ONLY),
        args=YS_A,
        method="post",
        data=lambda o: {"value": "90"},
    ),
    Case(
        "assessments:grade_record",
        expect(admin=302, liaison_a=302, liaison_b=404, hr=403, staff=403),
        args=YS_A,
        method="post",
        data=lambda o: {"grade": "competent"},
    ),
    Case(
        "assessments:grade_record",
        expect(admin=302, liaison_a=404, liaison_b=302, hr=403, staff=403),
        args=YS_B,
        method="post",
        data=lambda o: {"grade": "competent"},
    ),
    Case("assessments:rule_list", expect()),
    Case("assessments:rule_create", expect(**ADMIN_ONLY)),
    Case("assessments:rule_create", expect(**ADMIN_ONLY), method="post"),
    Case("assessments:rule_edit", expect(**ADMIN_ONLY), args=RULE),
    Case("assessments:entry_create", expect(**ADMIN_ONLY)),
    Case("assessments:entry_create", expect(admin=400, **ADMIN_ONLY), method="post"),
    Case("assessments:staff_lookup", expect(**ADMIN_ONLY), query="staff=T"),
    Case("assessments:entry_detail", expect(liaison_b=404), args=E_SELF),
    Case("assessments:entry_detail", expect(liaison_b=404, staff=404), args=E_A),
    Case("assessments:entry_detail", expect(liaison_a=404, staff=404), args=E_B),
    Case(
        "assessments:appeal_create",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=200),
        args=E_SELF,
    ),
    Case(
        "assessments:appeal_create",
        expect(admin=403, liaison_a=403, liaison_b=403, hr=403, staff=404),
        args=E_A,
    ),
    Case("assessments:evidence", expect(liaison_b=404), args=EV),
    Case("assessments:my_record", expect(admin=404, liaison_a=404, liaison_b=404, hr=404)),
    Case("assessments:appeal_list", expect(staff=403)),
    Case("assessments:appeal_decide", expect(**ADMIN_ONLY), args=AP),
    Case("assessments:rankings", expect(staff=403)),
    Case("assessments:rectification_list", expect()),
    Case("assessments:rectification_detail", expect(liaison_b=404), args=C_SELF),
    Case("assessments:rectification_detail", expect(liaison_a=404, staff=404), args=C_B),
    # issue #16: a liaison takes the rated side's steps for their own department's cases
    Case(
        "assessments:rectification_step",
        expect(admin=302, **{**ADMIN_ONLY, "liaison_b": 404}),
        args=C_SELF,
        method="post",
        data=lambda o: {"action": "confirm"},
    ),
    Case(
        "assessments:rectification_step",
        expect(admin=302, liaison_a=404, liaison_b=403, hr=403, staff=404),
        args=C_B,
        method="post",
        data=lambda o: {"action": "confirm"},
    ),
    Case(
        "assessments:rectification_step",
        # the personas act in turn: after the center's appeal, a second one is refused (400)
        expect(admin=302, liaison_a=400, liaison_b=404, hr=403, staff=400),
        args=C_SELF,
        method="post",
        data=lambda o: {"action": "appeal", "note": "评价人误操作"},
    ),
    Case("assessments:rating_stats", expect(staff=403)),
    Case("assessments:rating_import", expect(**ADMIN_ONLY)),
    Case("assessments:rating_import_template", expect(**ADMIN_ONLY)),
    Case("assessments:award_list", expect(staff=403)),
    # API
    Case("assessment-rule-list", expect(anonymous=403)),
    Case("assessment-rule-detail", expect(anonymous=403), args=RULE),
    Case("assessment-rule-list", expect(admin=400, **API_ADMIN_ONLY), method="post"),
    Case("period-list", expect(anonymous=403)),
    Case("period-detail", expect(anonymous=403), args=P),
    Case("period-close", expect(**API_ADMIN_ONLY), args=P, method="post"),
    Case("period-recompute", expect(**API_ADMIN_ONLY), args=P, method="post"),
    Case("entry-list", expect(anonymous=403)),
    Case("entry-list", expect(admin=400, **API_ADMIN_ONLY), method="post"),
    Case("entry-detail", expect(anonymous=403, liaison_b=404, staff=404), args=E_A),
    Case("entry-detail", expect(anonymous=403, liaison_b=404), args=E_SELF),
    Case("score-list", expect(anonymous=403)),
    Case("score-detail", expect(anonymous=403, liaison_a=404, staff=404), args=S_B),
    Case(
        "score-review",
        expect(anonymous=403, liaison_a=403, liaison_b=403, hr=403, staff=403),
        args=YS_B,
        method="post",
        data=lambda o: {"value": "90"},
    ),
    Case(
        "score-grade",
        expect(anonymous=403, liaison_a=404, hr=403, staff=403),
        args=YS_B,
        method="post",
        data=lambda o: {"grade": "competent"},
    ),
    Case("window-input-list", expect(anonymous=403, staff=403)),
    Case(
        "window-input-list",
        expect(admin=201, **API_ADMIN_ONLY),
        method="post",
        data=lambda o: {"period": o["period"].pk, **WINDOW_INPUT(o)},
    ),
    Case("appeal-list", expect(anonymous=403)),
    Case(
        "appeal-list",
        expect(anonymous=403, admin=400, liaison_a=403, liaison_b=403, hr=403, staff=400),
        method="post",
    ),
    Case("appeal-detail", expect(anonymous=403, liaison_b=404), args=AP),
    Case(
        "appeal-decide",
        expect(**API_ADMIN_ONLY),
        args=AP,
        method="post",
        data=lambda o: {"outcome": "upheld", "note": "维持"},
    ),
    Case("rating-list", expect(anonymous=403)),
    Case("rating-list", expect(admin=400, **API_ADMIN_ONLY), method="post"),
    Case("rating-detail", expect(anonymous=403, liaison_a=404, staff=404), args=R_B),
    Case("rectification-list", expect(anonymous=403)),
    Case("rectification-detail", expect(anonymous=403, liaison_b=404), args=C_SELF),
    Case("rectification-detail", expect(anonymous=403, liaison_a=404, staff=404), args=C_B),
    Case(
        "rectification-confirm",
        expect(**{**API_ADMIN_ONLY, "liaison_b": 404}),
        args=C_SELF,
        method="post",
    ),
    Case(
        "rectification-appeal",
        expect(anonymous=403, liaison_a=404, liaison_b=400, hr=403, staff=404),  # after admin's
        args=C_B,
        method="post",
        data=NOTE,
    ),
    Case(
        "rectification-invalidate",
        expect(admin=400, **{**API_ADMIN_ONLY, "liaison_b": 404}),
        args=C_SELF,
        method="post",
        data=NOTE,
    ),
    Case(
        "rectification-start",
        expect(anonymous=403, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=400),
        args=C_SELF,
        method="post",
        data=NOTE,
    ),
    Case(
        "rectification-respond",  # issue #16: the home department's measures (while rectifying)
        expect(anonymous=403, admin=400, liaison_a=400, liaison_b=404, hr=403, staff=403),
        args=C_SELF,
        method="post",
        data=NOTE,
    ),
    Case(
        "rectification-finish",
        expect(admin=400, **{**API_ADMIN_ONLY, "liaison_b": 404}),
        args=C_SELF,
        method="post",
    ),
    Case(
        "rectification-cannot-fix",
        expect(admin=400, **{**API_ADMIN_ONLY, "liaison_b": 404}),
        args=C_SELF,
        method="post",
        data=NOTE,
    ),
    Case("award-list", expect(anonymous=403)),
    Case("award-detail", expect(anonymous=403, liaison_a=404, staff=404), args=AW_B),
    # --- ratings feed (issue #18); personas run in order on the same objects ---
    Case("assessments:rating_rates", expect(staff=403)),
    Case(
        "assessments:extension_request",
        expect(admin=302, liaison_a=400, liaison_b=404, hr=403, staff=400),
        args=C_SELF,
        method="post",
        data=lambda o: {"days": "2", "reason": "需协调"},
    ),
    Case(
        "assessments:extension_decide",
        expect(admin=302, **ADMIN_ONLY),
        args=X_B,
        method="post",
        data=lambda o: {"approve": "1"},
    ),
    Case(
        "assessments:call_back_create",
        expect(admin=302, **ADMIN_ONLY),
        args=C_SELF,
        method="post",
        data=lambda o: {"called_at": "2026-03-05T10:00", "reached": "0"},
    ),
    # the push takes only system clients (tests/assessments/test_rating_feed.py)
    Case(
        "rating-feed-list",
        expect(anonymous=LOGIN, admin=403, liaison_a=403, liaison_b=403, hr=403, staff=403),
        method="post",
        data=lambda o: {"ratings": []},
    ),
    Case("rating-rates-list", expect(anonymous=403, staff=403)),
    Case("rectification-extension-list", expect(anonymous=403)),
    Case(
        "rectification-extension-list",
        expect(anonymous=403, admin=201, liaison_a=400, liaison_b=404, hr=403, staff=400),
        method="post",
        data=lambda o: {"case": o["case_self"].pk, "days": 2, "reason": "需协调"},
    ),
    Case(
        "rectification-extension-detail",
        expect(anonymous=403, liaison_a=404, staff=404),
        args=X_B,
    ),
    Case(
        "rectification-extension-decide",
        expect(**API_ADMIN_ONLY),
        args=X_B,
        method="post",
        data=lambda o: {"approve": True},
    ),
    Case("rating-call-back-list", expect(anonymous=403, staff=403)),
    Case(
        "rating-call-back-list",
        expect(admin=201, **API_ADMIN_ONLY),
        method="post",
        data=lambda o: {
            "rating": o["rating_b"].pk,
            "called_at": "2026-03-05T10:00:00+08:00",
            "reached": False,
        },
    ),
    Case(
        "rating-call-back-detail",
        expect(anonymous=403, liaison_a=404, staff=403),
        args=CB_B,
    ),
]

assert all(set(case.expect) == set(PERSONAS) for case in MATRIX)
assert LOGIN


@pytest.fixture
def objects(world, admin_user, staff_user, fixed_today):
    fixed_today(date(2026, 3, 20))
    rules = world["rules"]
    recorder = UserFactory(role=Role.CENTER_ADMIN)  # the admin persona decides its appeal
    entry_self = entry_record(
        actor=recorder, staff=world["me"], rule=rules["S01"], date=date(2026, 3, 2), files=[png()]
    )
    entry_a = entry_record(
        actor=admin_user, staff=world["person_a"], rule=rules["D01"], date=date(2026, 3, 2)
    )
    entry_b = entry_record(
        actor=admin_user, staff=world["person_b"], rule=rules["D01"], date=date(2026, 3, 2)
    )
    appeal = appeal_submit(actor=staff_user, entry=entry_self, reason="当天系统故障，非本人原因")
    served = timezone.make_aware(datetime(2026, 3, 3, 10))
    case_self = rating_record(
        actor=admin_user,
        event_ref="EV-S",
        window=world["window_a"],
        staff=world["me"],
        level="2",
        served_at=served,
    ).rectification
    rating_b = rating_record(
        actor=admin_user,
        event_ref="EV-B",
        window=world["window_b"],
        staff=world["person_b"],
        level="1",
        served_at=served,
    )
    period = period_for_date(date(2026, 3, 1))
    year = period_get_or_create(kind=PeriodKind.YEAR, year=2026)
    score_recompute(actor=admin_user, period=year)
    award_b = Award.objects.create(
        period=period,
        kind=AwardKind.SERVICE_STAR,
        staff=world["person_b"],
        department=world["person_b"].department,
        score=Decimal("100"),
        rank=1,
    )
    # issue #18: a pending extension and a call-back of department B's case
    from assessments.models import RatingCallBack, RectificationExtension

    extension_b = RectificationExtension.objects.create(
        case=rating_b.rectification, requested_by=recorder, requested_days=2, reason="协调"
    )
    call_back_b = RatingCallBack.objects.create(
        rating=rating_b, case=rating_b.rectification, called_at=served, reached=False
    )
    return {
        "world": world,
        "extension_b": extension_b,
        "call_back_b": call_back_b,
        "period": period,
        "rule": rules["D01"],
        "entry_self": entry_self,
        "entry_a": entry_a,
        "entry_b": entry_b,
        "evidence": entry_self.evidence.get(),
        "appeal": appeal,
        "case_self": case_self,
        "case_b": rating_b.rectification,
        "rating_b": rating_b,
        "score_b": Score.objects.get(period=period, staff=world["person_b"]),
        "award_b": award_b,
        "year": year,
        "year_score_a": Score.objects.get(period=year, staff=world["person_a"]),
        "year_score_b": Score.objects.get(period=year, staff=world["person_b"]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("case", MATRIX, ids=lambda c: c.id())
def test_matrix(case, personas, objects):
    for persona in PERSONAS:
        if "-" in case.url_name and case.method == "post":
            client = APIClient()
            if personas[persona] is not None:
                client.force_authenticate(personas[persona])
        else:
            client = client_for(personas[persona])
        run_case(case, persona, personas, objects, client)
