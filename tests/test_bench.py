"""The benchmark runs on a tiny demo center: every scenario's page and bare view answer, and a
scenario is measured cold, after each kind of write (through the services) and warm."""

from django.core.management import call_command
from django.test import Client, override_settings

from bench.__main__ import measure_scenario
from bench.scenarios import BUDGETS, SCENARIOS
from bench.writes import WRITES
from staff.models import User


def _client(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client


@override_settings(ROOT_URLCONF="bench.urls")
def test_every_scenario_answers_and_is_measured_cold_after_a_write_and_warm(db):
    call_command("seed_demo", staff=120, windows=60, verbosity=0)
    clients = {}
    for scenario in SCENARIOS:
        assert scenario.kind in BUDGETS and scenario.write in WRITES, scenario.name
        assert scenario.bare, f"{scenario.name} has no bare view"
        client = clients.setdefault(scenario.persona, _client(scenario.persona))
        url = scenario.url() if callable(scenario.url) else scenario.url
        bare = scenario.bare() if callable(scenario.bare) else scenario.bare
        assert client.get(url).status_code == 200, scenario.name
        assert client.get(bare).status_code == 200, f"{scenario.name}: {bare}"

    for write in WRITES:  # one scenario of each write
        scenario = next(s for s in SCENARIOS if s.write == write)
        row = measure_scenario(scenario, clients[scenario.persona], repeat=2, after_repeat=2)
        assert row["status"] == [200], row
        for path in ("cold", "after_write", "warm", "bare"):
            assert row[path]["median_ms"] > 0 and row[path]["queries"] > 0, (write, path)
        assert row["after_write"]["write_median_ms"] > 0
        assert row["ratio"] is not None
