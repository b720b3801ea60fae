"""Roster files as other tools write them: every row is read, whatever the sheet declares, and a
huge cell is refused with a short error instead of being echoed whole."""

import io
import re
import zipfile

import pytest

from staff.models import Staff
from staff.roster import CELL_MAX_CHARS, roster_import

from .test_roster import csv_bytes, row, xlsx


@pytest.fixture
def a_and_b(dept_a, dept_b):
    return dept_a, dept_b


def declare_dimension(content: bytes, ref: str) -> bytes:
    """The workbook with its first sheet's <dimension> rewritten to ``ref``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(item, data)
    return buffer.getvalue()


@pytest.mark.django_db
def test_rows_past_the_declared_size_are_read(admin_user, a_and_b):
    content = declare_dimension(xlsx([row(n) for n in range(1, 11)]), "A1:N3")
    preview = roster_import(actor=admin_user, content=content, filename="名册.xlsx", commit=False)
    assert len(preview.rows) == 10
    result = roster_import(actor=admin_user, content=content, filename="名册.xlsx", commit=True)
    assert result.committed
    assert Staff.objects.filter(staff_number__startswith="N").count() == 10


@pytest.mark.django_db
@pytest.mark.parametrize("make", [xlsx, csv_bytes], ids=["xlsx", "csv"])
def test_a_huge_cell_is_refused_briefly(admin_user, a_and_b, make):
    content = make([row(1, 姓名="王" * 100_000), row(2)])
    filename = "名册.xlsx" if make is xlsx else "名册.csv"
    result = roster_import(actor=admin_user, content=content, filename=filename, commit=False)
    assert not result.ok
    bad = result.bad_rows
    assert [r.number for r in bad] == [2]  # the header is row 1
    text = repr(bad)
    assert len(text) < CELL_MAX_CHARS * 20  # the error names the cell, it does not carry it
    assert Staff.objects.count() == 0


@pytest.mark.django_db
def test_wrong_headers_are_one_file_error_and_no_row_errors(admin_user, a_and_b):
    from .test_roster import HEADERS

    headers = ["名字" if h == "姓名" else h for h in HEADERS]
    content = xlsx([row(1), row(2)], headers=headers)
    result = roster_import(actor=admin_user, content=content, filename="名册.xlsx", commit=False)
    assert not result.ok
    assert result.rows == []  # not "该行无法保存（AttributeError）" for every row
    (error,) = result.file_errors
    assert "姓名" in error and "名字" in error  # the missing column and the misspelt one


# --- an import confirmed after someone changed its people --------------------------------------


@pytest.fixture
def stored(dept_a):
    from ..factories import StaffFactory

    return StaffFactory(staff_number="N0001", department=dept_a, rank="科长")


@pytest.mark.django_db
def test_a_confirm_after_an_edit_of_its_people_writes_nothing(admin_user, a_and_b, stored):
    from staff.services import staff_update

    content = xlsx([row(1, 职级="处长"), row(2)])
    preview = roster_import(actor=admin_user, content=content, filename="名册.xlsx", commit=False)
    assert preview.ok and preview.version
    staff_update(actor=admin_user, staff=stored, rank="副处长", reason="升职")  # meanwhile
    result = roster_import(
        actor=admin_user,
        content=content,
        filename="名册.xlsx",
        commit=True,
        version=preview.version,
    )
    assert not result.committed
    assert "预览" in " ".join(result.file_errors)
    stored.refresh_from_db()
    assert stored.rank == "副处长"  # the edit stands
    assert not Staff.objects.filter(staff_number="N0002").exists()  # and nothing else landed


@pytest.mark.django_db
def test_a_confirm_of_an_unchanged_preview_imports(admin_user, a_and_b, stored):
    content = xlsx([row(1, 职级="处长")])
    preview = roster_import(actor=admin_user, content=content, filename="名册.xlsx", commit=False)
    result = roster_import(
        actor=admin_user,
        content=content,
        filename="名册.xlsx",
        commit=True,
        version=preview.version,
    )
    assert result.committed
    stored.refresh_from_db()
    assert stored.rank == "处长"


@pytest.mark.django_db
def test_the_browser_confirm_carries_the_preview_version(admin_user, a_and_b, stored, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from staff.services import staff_update

    client = as_user(admin_user)
    url = reverse("staff:import")
    upload = SimpleUploadedFile("名册.xlsx", xlsx([row(1, 职级="处长")]))
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200
    token = preview.context["token"]
    staff_update(actor=admin_user, staff=stored, rank="副处长", reason="升职")
    response = client.post(url, {"token": token})
    assert response.status_code == 400
    assert "预览" in response.content.decode()
    stored.refresh_from_db()
    assert stored.rank == "副处长"


@pytest.mark.django_db
def test_a_commit_locks_the_people_it_updates(admin_user, a_and_b):
    from staff.resources import StaffResource

    resource = StaffResource(user=admin_user)
    assert not resource.get_queryset().query.select_for_update  # a preview locks nothing
    resource._lock = True
    assert resource.get_queryset().query.select_for_update
