"""`make backup` / `make restore` round trip on a scratch PostgreSQL database: every table's row
count and a checksum of the staff table come back exactly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def _connect(url: str, dbname: str | None = None):
    config = dj_database_url.parse(url)
    return psycopg2.connect(
        dbname=dbname or config["NAME"],
        user=config["USER"],
        password=config["PASSWORD"],
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )


def snapshot(url: str) -> dict:
    with _connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from pg_tables)
            counts[table] = cursor.fetchone()[0]
        cursor.execute("SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM staff_staff t")
        checksum = cursor.fetchone()[0]
    conn.close()
    return {"counts": counts, "staff_md5": checksum}


@pytest.fixture
def scratch_url():
    base = os.environ.get("DATABASE_URL", "")
    name = f"ws_backup_{uuid.uuid4().hex[:10]}"
    admin = _connect(base, "postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    config = dj_database_url.parse(base)
    auth = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    url = f"postgres://{auth}@{config['HOST']}:{config['PORT'] or 5432}/{name}"
    yield url
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def run(args, env):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_backup_wipe_restore_round_trip(scratch_url, tmp_path):
    media = tmp_path / "media"
    backups = tmp_path / "backups"
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "照片.jpg").write_bytes(b"\xff\xd8 a photo of a finding")
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url,
        "BACKUP_DIR": str(backups),
        "MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([sys.executable, "manage.py", "seed_demo", "--staff", "300"], env)
    before = snapshot(scratch_url)
    assert before["counts"]["staff_staff"] == 300
    assert before["counts"]["auditlog_logentry"] > 0

    output = run(["make", "--no-print-directory", "backup"], env)
    dump = Path(output.strip().splitlines()[-1])
    assert dump.parent == backups and dump.suffix == ".dump" and dump.stat().st_size > 0
    archive = dump.with_name(dump.stem + ".media.tar.gz")
    for path in (dump, archive):  # full ID numbers inside: the owner's only
        assert path.stat().st_mode & 0o077 == 0, oct(path.stat().st_mode)

    shutil.rmtree(media)  # the files are lost with the server, as the database is

    with _connect(scratch_url) as conn, conn.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    conn.close()
    assert snapshot_tables(scratch_url) == []

    run(["make", "--no-print-directory", "restore", f"BACKUP={dump}"], env)
    after = snapshot(scratch_url)
    assert after == before
    assert (media / "evidence" / "照片.jpg").read_bytes() == b"\xff\xd8 a photo of a finding"


def snapshot_tables(url: str) -> list[str]:
    with _connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [row[0] for row in cursor.fetchall()]
    conn.close()
    return tables
