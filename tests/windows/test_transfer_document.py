"""The approval form of one transfer request as an official A4 document (issue #20): print view
and PDF from one template, numbered from the request, both sides' opinions with room to sign and
seal, the vetting, and a query count that does not grow with the vettings."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_for
from tests.pdf import read_pdf
from tests.queries import assert_constant_queries
from windows import services
from windows.models import Vetting, VettingDecision

from ..factories import StaffFactory
from .test_transfers import replace, vet

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(admin_user, liaison_a, window_a, veteran_a, candidate_a, today):
    t = replace(liaison_a, window_a, veteran_a, candidate_a, today)
    services.transfer_submit(actor=liaison_a, transfer=t)
    services.transfer_start_vetting(actor=admin_user, transfer=t)
    vet(admin_user, t)
    return services.transfer_approve(actor=admin_user, transfer=t, note="同意调整")


def test_the_form_shows_the_request_both_opinions_and_the_number(approved, liaison_a):
    response = client_for(liaison_a).get(reverse("windows:transfer_form", args=[approved.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    year = timezone.localdate(approved.created_at).year
    assert f'data-testid="document-number">攀政服调〔{year}〕{approved.pk}号<' in html
    assert f'data-testid="document-issuer">{settings.CENTER["NAME"]}<' in html
    form = html.split('data-testid="transfer-form"')[1]
    assert approved.outgoing.name in form and approved.incoming.name in form
    assert "工作需要" in form and "同意调整" in form and "政治素质" in form
    center = html.split('data-testid="center-opinion"')[1].split("</td>")[0]
    assert "同意" in center and "（盖章）" in center and "签字：" in center
    department = html.split('data-testid="department-opinion"')[1].split("</td>")[0]
    assert "（盖章）" in department
    assert reverse("windows:transfer_pdf", args=[approved.pk]) in html


def test_the_request_page_links_the_form_and_its_pdf(approved, admin_user):
    html = client_for(admin_user).get(reverse("windows:transfer_detail", args=[approved.pk]))
    page = html.content.decode()
    assert reverse("windows:transfer_form", args=[approved.pk]) in page
    assert reverse("windows:transfer_pdf", args=[approved.pk]) in page


def test_the_pdf_is_a4_and_renders_chinese(approved, admin_user):
    response = client_for(admin_user).get(reverse("windows:transfer_pdf", args=[approved.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    facts = read_pdf(response.content)
    assert facts.is_a4() and facts.pages == 1, (facts.pages, facts.media_boxes)
    assert "WenQuanYi-Micro-Hei" in facts.fonts
    for text in (settings.CENTER["NAME"], approved.outgoing.name, "审批表", "盖章", "工作需要"):
        assert facts.covers(text), text


@pytest.mark.parametrize("name", ["windows:transfer_form", "windows:transfer_pdf"])
def test_constant_queries(name, approved, admin_user, dept_a):
    client = client_for(admin_user)
    url = reverse(name, args=[approved.pk])

    def grow():
        for _ in range(2):
            Vetting.objects.create(
                transfer=approved,
                staff=StaffFactory(department=dept_a),
                political_ok=True,
                ability_ok=True,
                fitness_ok=True,
                decision=VettingDecision.PASS,
                vetted_by=admin_user,
            )

    assert_constant_queries(lambda: client.get(url), grow, at_most=6)
