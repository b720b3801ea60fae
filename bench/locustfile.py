"""The load test's users (run by ``python -m bench.load``, not by hand): logged-in people of four
roles browsing mixed pages. Sessions and URLs come from the environment (``BENCH_LOAD``, JSON)
that bench/load.py prepares, so this file needs no database access."""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, between, task

PLAN = json.loads(os.environ.get("BENCH_LOAD", "{}"))


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
