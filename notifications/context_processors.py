from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def unread(request):
    """The unread badge in the top bar: one COUNT query, only when a page renders it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
