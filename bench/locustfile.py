"""The load test's users (run by ``python -m bench.load``, not by hand): logged-in people of four
roles browsing mixed pages, and the writers running beside them — a center administrator
recording deduction entries (``POST /api/v1/entries/``) and another importing citizen ratings
(``POST /api/v1/ratings/``), each at a fixed pace (20 a minute by default), and window staff
logging in through the login form. Sessions, tokens, URLs and write targets come from the
file (``BENCH_LOAD_FILE``, JSON) that bench/load.py prepares, so this file needs no database
access. Every response time is also kept by kind (browse, or the writer's name) and written to
``BENCH_LOAD_OUT`` at the end, so load.py can report the users' p95 apart from the writers'."""

from __future__ import annotations

import json
import os
import random
import re
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from locust import HttpUser, between, constant_pacing, events, task

PLAN = (
    json.loads(Path(os.environ["BENCH_LOAD_FILE"]).read_text())
    if "BENCH_LOAD_FILE" in os.environ
    else {}
)
WRITES = PLAN.get("writes", {})
TIMES: dict[str, list[float]] = defaultdict(list)
ERRORS: dict[str, int] = defaultdict(int)
WRITE_PREFIX = "write: "


@events.request.add_listener
def _keep(name, response_time, exception, **kwargs) -> None:
    kind = name if name.startswith(WRITE_PREFIX) else "browse"
    if name.startswith("(login form)"):
        return  # fetching the form is part of a login, not a page the users wait for
    TIMES[kind].append(response_time)
    if exception is not None:
        ERRORS[kind] += 1


@events.quitting.add_listener
def _write_out(**kwargs) -> None:
    path = os.environ.get("BENCH_LOAD_OUT")
    if path:
        with open(path, "w") as handle:
            json.dump({"times": TIMES, "errors": ERRORS}, handle)


class _Browsing(HttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    persona = ""

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", PLAN["sessions"][self.persona])
        self.pages = PLAN["pages"][self.persona]

    @task
    def browse(self) -> None:
        name, url = random.choice(self.pages)  # noqa: S311  (not cryptography)
        # A redirect (to the login page) or any other status than 200 is an error.
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")


class CenterAdmin(_Browsing):
    weight = 6
    persona = "admin"


class Liaison(_Browsing):
    weight = 8
    persona = "liaison"


class HR(_Browsing):
    weight = 2
    persona = "hr"


class WindowStaff(_Browsing):
    weight = 4
    persona = "staff"


# --- the writers ---------------------------------------------------------------------------------


def _per_minute(key: str, default: float) -> float:
    return 60.0 / max(float(WRITES.get(key, default)), 0.001)


class _ApiWriter(HttpUser):
    abstract = True
    fixed_count = 1

    def _post(self, url: str, payload: dict, name: str) -> None:
        headers = {"Authorization": f"Token {WRITES['token']}"}
        with self.client.post(
            url, json=payload, headers=headers, name=name, catch_response=True
        ) as r:
            if r.status_code != 201:
                r.failure(f"status {r.status_code}: {r.text[:200]}")


class EntryWriter(_ApiWriter):
    """Records a deduction entry at a fixed pace through the API (entry_record)."""

    wait_time = constant_pacing(_per_minute("entries_per_minute", 20))

    @task
    def record(self) -> None:
        staff_id, window_id = random.choice(WRITES["entry_targets"])  # noqa: S311
        payload = {
            "staff": staff_id,
            "window": window_id,
            "rule": WRITES["entry_rule"],
            "date": WRITES["today"],
            "notes": "load test",
        }
        self._post("/api/v1/entries/", payload, "write: entry")


class RatingWriter(_ApiWriter):
    """Imports one citizen rating at a fixed pace through the API (rating_record); one in five
    is 不满意, which opens a rectification case too."""

    wait_time = constant_pacing(_per_minute("ratings_per_minute", 20))

    @task
    def record(self) -> None:
        window, staff_number = random.choice(WRITES["rating_targets"])  # noqa: S311
        served = datetime.now(UTC) - timedelta(minutes=10)
        payload = {
            "event_ref": f"LOAD-{uuid.uuid4().hex[:24]}",
            "window": window,
            "staff": staff_number,
            "level": random.choices("5432", weights=(50, 25, 5, 20))[0],  # noqa: S311
            "served_at": served.isoformat(),
        }
        self._post("/api/v1/ratings/", payload, "write: rating")


class LoginWriter(HttpUser):
    """Window staff logging in through the login form (password check, session, audit): a new
    session each time."""

    fixed_count = 1
    wait_time = constant_pacing(_per_minute("logins_per_minute", 10))

    @task
    def login(self) -> None:
        self.client.cookies.clear()
        form = self.client.get("/accounts/login/", name="(login form)")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        token = match.group(1) if match else ""
        username = random.choice(WRITES["login_usernames"])  # noqa: S311
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": WRITES["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="write: login",
            allow_redirects=False,
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"status {r.status_code}")


# --- the simulated hall (issue #18): terminals, the rating platform, the queue system ---------


class _FeedWriter(HttpUser):
    """A hall system pushing through its feed with its own system-client token; a feed answers
    200 with one result per row, and a row answered ``error`` fails the request."""

    abstract = True
    fixed_count = 1
    client_name = ""

    def _push(self, url: str, payload: dict, name: str) -> None:
        headers = {"Authorization": f"Client {WRITES['clients'][self.client_name]}"}
        with self.client.post(
            url, json=payload, headers=headers, name=name, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}: {r.text[:200]}")
            elif r.json().get("counts", {}).get("error"):
                r.failure(f"rows refused: {r.text[:300]}")


def _hall_target() -> dict:
    return random.choice(WRITES["hall_targets"])  # noqa: S311


class PunchFeed(_FeedWriter):
    """Attendance terminals: ``punches_per_second`` punches (200 by default) in batches of
    ``punch_batch`` (20), each a new device record."""

    client_name = "punch"
    wait_time = constant_pacing(
        float(WRITES.get("punch_batch", 20))
        / max(float(WRITES.get("punches_per_second", 200)), 0.1)
    )

    @task
    def push(self) -> None:
        now = datetime.now(UTC).isoformat()
        rows = [
            {
                "staff_number": _hall_target()["staff_number"],
                "at": now,
                "record_id": uuid.uuid4().hex,
                "device": "大厅东门",
                "method": "face",
            }
            for _ in range(int(WRITES.get("punch_batch", 20)))
        ]
        self._push("/api/v1/punches/", {"punches": rows}, "write: feed punches")


def _rating(level: str | None = None) -> dict:
    target = _hall_target()
    served = datetime.now(UTC) - timedelta(minutes=5)
    return {
        "case_number": f"HALL-{uuid.uuid4().hex[:20]}",
        "window": target["window"],
        "staff_number": target["staff_number"],
        "level": level or random.choices("5432", weights=(60, 25, 10, 5))[0],  # noqa: S311
        "channel": "evaluator",
        "served_at": served.isoformat(),
    }


class RatingFeed(_FeedWriter):
    """The rating platform: ``feed_ratings_per_minute`` ratings (20) one per request, and once,
    ``burst_after`` seconds in, a burst of ``rating_burst`` (1,000) in requests of 50."""

    client_name = "rating"
    wait_time = constant_pacing(_per_minute("feed_ratings_per_minute", 20))

    def on_start(self) -> None:
        import time as _time

        self.started = _time.monotonic()
        self.burst_done = int(WRITES.get("rating_burst", 1000)) <= 0

    @task
    def push(self) -> None:
        import time as _time

        if not self.burst_done and _time.monotonic() - self.started >= float(
            WRITES.get("burst_after", 20)
        ):
            self.burst_done = True
            left = int(WRITES.get("rating_burst", 1000))
            while left > 0:
                rows = [_rating() for _ in range(min(50, left))]
                left -= len(rows)
                self._push("/api/v1/feeds/ratings/", {"ratings": rows}, "write: feed rating burst")
            return
        self._push("/api/v1/feeds/ratings/", {"ratings": [_rating()]}, "write: feed rating")


class WorkloadFeed(_FeedWriter):
    """The queue system: ``workload_per_minute`` records (200) in batches of 10, a person's
    count of the day rising with each push (so most rows are ``updated``)."""

    client_name = "workload"
    wait_time = constant_pacing(10 * _per_minute("workload_per_minute", 200))

    @task
    def push(self) -> None:
        rows = []
        for _ in range(10):
            target = _hall_target()
            rows.append(
                {
                    "staff_number": target["staff_number"],
                    "window": target["window"],
                    "date": WRITES["today"],
                    "kind": random.choice(["cases", "tickets", "enquiries"]),  # noqa: S311
                    "count": random.randint(1, 60),  # noqa: S311
                }
            )
        self._push("/api/v1/feeds/workload/", {"records": rows}, "write: feed workload")
