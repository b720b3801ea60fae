"""The staff detail page's "Talks and follow-ups" panel (registered with ``staff.panels``).

The person themselves sees that talks took place and the follow-ups agreed, never the notes, and
a "request a talk" button. The department and the center see the talks they may read. HR sees
no panel (talks are not promotion evidence)."""

from __future__ import annotations

from typing import Any

from staff.models import Role
from staff.panels import register_staff_panel
from staff.permissions import Perm, has_perm, role_of

from .models import TalkRequestState
from .permissions import notes_visible
from .selectors import follow_up_list_for_user, talk_list_for_user


def panel_context(user: Any, person: Any) -> dict[str, Any] | None:
    if not has_perm(user, Perm.TALK_LIST):
        return None
    own = role_of(user) == Role.STAFF
    # ``person`` was fetched through the user's scope; the rows still go through the talk scope,
    # reading only what the panel shows (each talk's person is ``person``; no notes or topics).
    talks = list(
        talk_list_for_user(user)
        .select_related(None)
        .defer("notes", "topics")
        .filter(staff=person)[:20]
    )
    follow_ups = list(
        follow_up_list_for_user(user).select_related(None).filter(talk__staff=person)[:50]
    )
    for talk in talks:
        talk.staff = person
    rows = [{"talk": talk, "notes": notes_visible(user, talk)} for talk in talks]
    context: dict[str, Any] = {
        "person": person,
        "own": own,
        "talks": rows,
        "follow_ups": follow_ups,
        "can_record": has_perm(user, Perm.TALK_EDIT),
    }
    if own:
        context["can_request"] = has_perm(user, Perm.TALK_REQUEST)
        context["open_request"] = person.talk_requests.filter(state=TalkRequestState.OPEN).first()
    return context


def register() -> None:
    register_staff_panel(
        key="joint",
        order=60,
        template="joint/_staff_panel.html",
        context=panel_context,
        perm=Perm.TALK_LIST,
    )
