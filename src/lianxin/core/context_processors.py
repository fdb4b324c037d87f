from django.conf import settings
from django.urls import reverse

from .nav import entries_for
from .notify import unread_count


def shell(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    nav = []
    for entry in entries_for(user) if user else []:
        url = reverse(entry.url_name)
        active = request.path == url or (url != "/" and request.path.startswith(url))
        nav.append({"entry": entry, "url": url, "active": active})
    return {
        "nav_entries": nav,
        "unread_count": unread_count(user) if authenticated else 0,
        "large_text": getattr(request, "large_text", False),
        "languages": settings.LANGUAGES,
    }
