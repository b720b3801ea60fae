"""What a recipient reads of one notification: on the notification center page, in the API and
in the e-mail (the relay run for it)."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from notifications.relay import deliver_pending
from tests.conftest import client_for


def seen_by(user, row) -> dict[str, str]:
    client = client_for(user)
    page = client.get(reverse("notifications:list")).content.decode()
    start = page.index(f'id="notification-{row.pk}"')
    item = page[start : page.index("</li>", start)]
    api = next(
        r for r in client.get(reverse("notification-list")).json()["results"] if r["id"] == row.pk
    )
    deliver_pending()
    message = next(m for m in mail.outbox if m.extra_headers["X-Notification-Id"] == str(row.pk))
    return {
        "page": item,
        "api": f"{api['title']}\n{api['body']}",
        "mail": f"{message.subject}\n{message.body}",
    }


def assert_reads(user, row, *, says: list[str], never: list[str]) -> None:
    """Each of ``says`` is in the page's item, the API's row and the e-mail; none of ``never``."""
    for where, text in seen_by(user, row).items():
        for part in says:
            assert part in text, f"{where}: {part!r} missing from {text!r}"
        for part in never:
            assert part not in text, f"{where}: {part!r} in {text!r}"
