from django.conf import settings
from django.urls import reverse

from .nav import entries_for, menu
from .notify import unread_count


def shell(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    nav = [{"entry": entry, "url": reverse(entry.url_name), "active": False}
           for entry in (entries_for(user) if user else [])]
    # Only the most specific entry is current: /cases/stats/ marks "statistics", not also "cases".
    matching = [item for item in nav
                if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return {
        "menu": menu(nav),
        "unread_count": unread_count(user) if authenticated else 0,
        "large_text": getattr(request, "large_text", False),
        "languages": settings.LANGUAGES,
    }
