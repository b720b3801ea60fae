from __future__ import annotations

from datetime import date

from django.db import models


class StationingQuerySet(models.QuerySet):
    def open(self) -> StationingQuerySet:
        return self.filter(end_date__isnull=True)

    def current_on(self, day: date) -> StationingQuerySet:
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gt=day)
        )


class TransferQuerySet(models.QuerySet):
    def open(self) -> TransferQuerySet:
        return self.filter(state__in=["draft", "submitted", "vetting", "approved"])
