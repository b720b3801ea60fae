"""Demo notifications: run today's reminder sweeps over whatever the other apps seeded, so the
demo accounts open a notification center that already has something in it."""

from __future__ import annotations

import random
from datetime import date

from notifications import services


def build(*, rng: random.Random, today: date) -> None:
    del rng  # deterministic already: the sweeps derive everything from the seeded data
    services.sweeps_run(today=today)
