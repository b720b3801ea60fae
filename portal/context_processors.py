from django.conf import settings

from .navigation import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"center_name": settings.CENTER["NAME"]}
    return {"nav_items": items_for(user), "center_name": settings.CENTER["NAME"]}
