"""``{{ user|person }}``: a user as the person's name and unit (core.people), never the login."""

from django import template

from core import people

register = template.Library()


@register.filter
def person(user) -> str:
    return people.person(user)
