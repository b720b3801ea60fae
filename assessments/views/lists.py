"""What the assessment list pages share: the page size, the two-step score paginator, the
period a page asks for."""

from __future__ import annotations

from core.pagination import CountPaginator

from .. import selectors

PAGE_SIZE = 50


class ScorePaginator(CountPaginator):
    """Pages of a score ranking in two steps: the page's ids over the index alone, then those
    rows with their joins. A deep page (the last of 100,000 people) otherwise joins every
    person it skips."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = list(self.object_list.filter(pk__in=ids)) if ids else []
        return self._get_page(selectors.with_ranks(rows), number, self)


def period_from(request):
    pk = request.GET.get("period")
    if pk and pk.isdigit():
        return selectors.period_get(int(pk))
    return selectors.period_current()
