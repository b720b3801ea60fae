"""``{{ user|person }}``: a user as the person's name and unit (core.people), never the login;
``{{ user|person:"name" }}``: the name alone (the top bar, lists already grouped by unit)."""

from django import template

from core import people

register = template.Library()


@register.filter
def person(user, part: str = "") -> str:
    if part == "name":
        return people.name_of(user)
    return people.person(user)
