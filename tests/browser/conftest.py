"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Never downloads a browser: the journeys run when /usr/bin/chromium exists and are skipped, with the
reason, when it does not. Each journey saves a screenshot per step under
``test-results/screenshots/<journey>/NN-step.png``.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.utils import translation

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-results" / "screenshots"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "Demo@2026!"  # demo.staff.DEMO_PASSWORD
CJK = re.compile(r"[\u4e00-\u9fff]")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def zh(msgid: str) -> str:
    """What the Chinese interface shows for ``msgid`` (from our catalog)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread, so Django's async-safety guard
    would refuse the tests' own ORM calls. Set only while this package's tests run, never
    process-wide (other tests' `check --deploy` subprocesses would inherit it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo_center(transactional_db):
    """The demo center (41 departments, 120 people, one account per role) in the test database."""
    from demo import staff as demo

    demo.build(staff=120, seed=20140326)
    return demo


@pytest.fixture
def full_demo(demo_center):
    """Every app's demo data on top of the demo center, in ``seed_demo``'s order (stationings,
    two years of scores and appeals, training, talks and visits, today's notifications)."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from demo import assessments as assessments_demo
    from demo import joint as joint_demo
    from demo import notifications as notifications_demo
    from demo import training as training_demo
    from demo import windows as windows_demo

    today = timezone.localdate()
    rng = random.Random(20140327)
    with transaction.atomic():  # one commit, not one per bulk write
        for app in (windows_demo, assessments_demo, training_demo, joint_demo, notifications_demo):
            app.build(rng=rng, today=today)
    return demo_center


class Journey:
    """A browser page plus numbered screenshots of each step of one journey."""

    def __init__(self, browser, live_server, name: str, *, locale: str = "zh-CN", viewport=None):
        self.name = name
        self.base = live_server.url
        self.folder = SCREENSHOTS / name
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.step_number = 0
        self.started = time.monotonic()
        self.context = browser.new_context(
            locale=locale,
            extra_http_headers={
                "Accept-Language": "zh-CN,zh;q=0.9" if locale == "zh-CN" else locale
            },
            viewport=viewport or {"width": 1366, "height": 900},
            accept_downloads=True,
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        # Script errors fail the journey (a CSP violation shows up here too); HTTP error statuses
        # are asserted by the journeys themselves.
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text)
                if message.type == "error"
                and not message.text.startswith("Failed to load resource")
                else None
            ),
        )

    def url(self, path: str) -> str:
        return self.base + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def shot(self, step: str) -> Path:
        self.step_number += 1
        path = self.folder / f"{self.step_number:02d}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def journey(request, browser, live_server, demo_center):
    """``journey(name)`` opens a fresh browser context for one journey (Chinese by default)."""
    opened: list[Journey] = []

    def open_journey(name: str, **kwargs) -> Journey:
        item = Journey(browser, live_server, name, **kwargs)
        opened.append(item)
        return item

    yield open_journey
    for item in opened:
        elapsed = time.monotonic() - item.started
        request.node.user_properties.append((f"journey:{item.name}", round(elapsed, 2)))
        print(f"\njourney {item.name}: {elapsed:.1f} s, {item.step_number} screenshots")
        assert not item.console_errors, f"browser console errors: {item.console_errors}"
        item.close()
