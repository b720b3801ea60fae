"""The roster import writes its audit entries in bulk (core.audit.AuditedBatch): each created or
changed person must get exactly the entry auditlog's per-row receivers wrote before."""

from datetime import UTC

import pytest
from auditlog.context import set_extra_data
from auditlog.models import LogEntry
from django.db import transaction

from core.audit import audited
from staff.models import Staff
from staff.resources import StaffResource
from staff.roster import read_dataset, roster_import

from ..factories import StaffFactory, valid_id_number
from .test_roster import row, xlsx


class PerRowStaffResource(StaffResource):
    """The import as it was: every save audited by auditlog's own signal receivers."""

    def do_instance_save(self, instance, is_create):
        with audited(actor=self.user, reason=self.reason):
            instance.save(force_insert=is_create)


def per_row_import(actor, content, filename):
    reason = f"名册导入：{filename}"  # any reason: both paths are given the same one below
    dataset = read_dataset(content, filename)
    result = PerRowStaffResource(user=actor, reason=reason).import_data_inner(
        dataset,
        dry_run=False,
        raise_errors=True,
        using_transactions=False,
        collect_failed_rows=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()
    return reason


def bulk_import(actor, content, filename, reason):
    dataset = read_dataset(content, filename)
    result = StaffResource(user=actor, reason=reason).import_data_inner(
        dataset,
        dry_run=False,
        raise_errors=True,
        using_transactions=False,
        collect_failed_rows=False,
    )
    assert not result.has_errors() and not result.has_validation_errors()


def naive_utc(value) -> str:
    return str(value.astimezone(UTC).replace(tzinfo=None))


def entries_since(last_id: int) -> dict[str, dict]:
    """This run's staff entries by staff number, with what differs between two runs by nature
    (primary keys, creation times) checked against the stored person and then left out."""
    found = {}
    for entry in LogEntry.objects.filter(id__gt=last_id).order_by("id"):
        person = Staff.objects.get(pk=entry.object_id)
        assert entry.object_pk == str(person.pk)
        assert entry.content_type.model_class() is Staff
        changes = dict(entry.changes)
        if entry.action == LogEntry.Action.CREATE:
            assert changes.pop("id") == ["None", str(person.pk)]
            assert changes.pop("created_at") == ["None", naive_utc(person.created_at)]
            assert changes.pop("updated_at") == ["None", naive_utc(person.updated_at)]
        assert person.staff_number not in found, "one entry per person"
        found[person.staff_number] = {
            "action": entry.action,
            "changes": changes,
            "object_repr": entry.object_repr,
            "actor_id": entry.actor_id,
            "actor_email": entry.actor_email,
            "remote_addr": entry.remote_addr,
            "remote_port": entry.remote_port,
            "additional_data": entry.additional_data,
            "cid": entry.cid,
            "serialized_data": entry.serialized_data,
            "changes_text": entry.changes_text,
        }
    return found


@pytest.fixture
def roster_file(dept_a, dept_b):
    StaffFactory(
        staff_number="N0001", name="旧名", department=dept_a, id_number=valid_id_number(5001)
    )
    StaffFactory(staff_number="N0002", department=dept_a, id_number=valid_id_number(5002))
    StaffFactory(
        staff_number="N0003",
        name="不变",
        gender="female",
        id_number=valid_id_number(5003),
        mobile="13900001111",
        political_status="party_member",
        employment_type="civil_servant",
        rank="一级科员",
        education="bachelor",
        department=dept_a,
        center_role="window",
    )
    rows = [
        # an update: new name, phone, department and ID number (masked on both sides)
        row(
            1, **{"派驻单位编码": "B", "手机号码": "13700000000", "身份证号": valid_id_number(6001)}
        ),
        # an update of one field, blank cells keep the rest
        row(2, **{"身份证号": "", "手机号码": "", "职级": "二级科员", "姓名": "", "出生日期": ""}),
        # the same values as stored: no entry
        row(3, **{"姓名": "不变", "出生日期": "1988-05-17"}),
        # new people, one with the optional cells blank
        row(4),
        row(
            5,
            **{
                "出生日期": "",
                "手机号码": "",
                "职级": "",
                "学历": "",
                "后备干部": "是",
            },
        ),
    ]
    return xlsx(rows)


@pytest.mark.django_db(transaction=False)
def test_bulk_entries_equal_the_per_row_entries(admin_user, roster_file):
    # As in a web request: auditlog's middleware has set the actor, address and port.
    request = {"actor": admin_user, "remote_addr": "10.20.30.40", "remote_port": 8443}
    with set_extra_data(context_data=dict(request)):
        last = LogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        with transaction.atomic():
            reason = per_row_import(admin_user, roster_file, "名册.xlsx")
            per_row = entries_since(last)
            transaction.set_rollback(True)
        assert Staff.objects.filter(staff_number="N0004").count() == 0
        with CountInserts() as inserts:
            bulk_import(admin_user, roster_file, "名册.xlsx", reason)
        bulk = entries_since(last)

    assert set(per_row) == {"N0001", "N0002", "N0004", "N0005"}, "no entry for an unchanged row"
    assert bulk == per_row
    # Spot checks of what the comparison covers.
    assert per_row["N0001"]["changes"]["id_number"][1].count("*") == 8
    assert "rank" in per_row["N0002"]["changes"], "blank cells keep values: no name, no ID"
    assert not {"name", "id_number", "mobile"} & set(per_row["N0002"]["changes"])
    assert per_row["N0004"]["remote_addr"] == "10.20.30.40"
    assert per_row["N0004"]["additional_data"] == {"reason": reason}
    assert per_row["N0005"]["actor_id"] == admin_user.pk
    assert inserts.log_entries == 1, "all entries in one INSERT"
    assert inserts.staff == 1, "all new people in one INSERT"
    assert inserts.sequence_resets == 0, "the id sequence is never rewound"


class CountInserts:
    def __enter__(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self._capture = CaptureQueriesContext(connection)
        self._capture.__enter__()
        return self

    def __exit__(self, *exc):
        self._capture.__exit__(*exc)
        sql = [q["sql"] for q in self._capture.captured_queries]
        self.log_entries = sum(s.startswith('INSERT INTO "auditlog_logentry"') for s in sql)
        self.staff = sum(s.startswith('INSERT INTO "staff_staff"') for s in sql)
        self.sequence_resets = sum("setval" in s.lower() or "sqlite_sequence" in s for s in sql)


def test_roster_import_commits_bulk_entries_with_the_reason(
    admin_user, dept_a, dept_b, roster_file
):
    result = roster_import(actor=admin_user, content=roster_file, filename="r.xlsx", commit=True)
    assert result.committed, result.bad_rows
    person = Staff.objects.get(staff_number="N0004")
    [entry] = LogEntry.objects.get_for_object(person)
    assert entry.action == LogEntry.Action.CREATE and entry.actor == admin_user
    assert "r.xlsx" in entry.additional_data["reason"]
    assert entry.changes_dict["id_number"][1] == person.masked_id_number
    moved = Staff.objects.get(staff_number="N0001")
    [update] = LogEntry.objects.get_for_object(moved).filter(action=LogEntry.Action.UPDATE)
    assert update.changes_dict["department"] == [str(dept_a.pk), str(dept_b.pk)]
    assert update.changes_dict["id_number"] == [
        Staff(id_number=valid_id_number(5001)).masked_id_number,
        moved.masked_id_number,
    ]


def test_a_conflict_found_only_on_insert_rolls_everything_back(admin_user, dept_a, monkeypatch):
    """Rows are checked against the database before the import; if another person with the
    same ID number is saved in between, the bulk insert fails and nothing is kept."""
    clash = valid_id_number(5002)
    original = StaffResource.before_import

    def before_import(self, dataset, **kwargs):
        original(self, dataset, **kwargs)
        StaffFactory(staff_number="X0001", department=dept_a, id_number=clash)

    monkeypatch.setattr(StaffResource, "before_import", before_import)
    content = xlsx([row(1), row(2, **{"身份证号": clash})])
    result = roster_import(actor=admin_user, content=content, filename="r.xlsx", commit=True)
    assert not result.committed
    assert any("未导入任何数据" in e for e in result.file_errors), result.file_errors
    assert Staff.objects.count() == 0
    assert not LogEntry.objects.filter(object_repr__contains="N000").exists()


def test_an_import_shows_at_once_in_the_department_headcounts(admin_user, roster_file):
    """Headcounts are counted over an index on every request (staff.querysets), so the import's
    new people show at once, with nothing invalidated."""
    from staff.models import Department

    before = {d.code: d.headcount for d in Department.objects.with_headcount()}
    result = roster_import(actor=admin_user, content=roster_file, filename="r.xlsx", commit=True)
    assert result.committed
    after = {d.code: d.headcount for d in Department.objects.with_headcount()}
    assert result.count("new") == 2
    assert sum(after.values()) == sum(before.values()) + 2


def test_unchanged_rows_are_reported_unchanged_and_not_written(admin_user, roster_file):
    stored = Staff.objects.get(staff_number="N0003")
    preview = roster_import(actor=admin_user, content=roster_file, filename="r.xlsx", commit=False)
    assert [r.action for r in preview.rows] == ["update", "update", "skip", "new", "new"]
    result = roster_import(actor=admin_user, content=roster_file, filename="r.xlsx", commit=True)
    assert result.committed and result.count("skip") == 1
    again = Staff.objects.get(staff_number="N0003")
    assert again.updated_at == stored.updated_at, "not saved"
    assert not LogEntry.objects.get_for_object(again).filter(action=LogEntry.Action.UPDATE)


@pytest.mark.parametrize("dry_run", [True, False])
def test_admin_import_path_writes_rows_and_entries_only_when_confirmed(
    admin_user, roster_file, dry_run
):
    """The admin's import (import-export's import_data: a savepoint per row, rolled back on a
    dry run) goes through the same resource."""
    before = LogEntry.objects.count()
    result = StaffResource(user=admin_user, reason="后台导入").import_data(
        read_dataset(roster_file, "r.xlsx"), dry_run=dry_run, use_transactions=True
    )
    assert not result.has_errors() and not result.has_validation_errors()
    created = Staff.objects.filter(staff_number__in=["N0004", "N0005"])
    if dry_run:
        assert not created.exists() and LogEntry.objects.count() == before
    else:
        assert created.count() == 2
        assert LogEntry.objects.count() == before + 4  # two new, two changed, one unchanged
        for person in created:
            [entry] = LogEntry.objects.get_for_object(person)
            assert entry.actor == admin_user and entry.additional_data == {"reason": "后台导入"}
