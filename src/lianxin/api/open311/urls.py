"""GeoReport v2 routes. Each route name is reversible without arguments (the permission matrix opens every
route); the identifiers are optional groups, so ``services.json`` and ``services/0102.json`` share a route."""

from django.urls import re_path

from . import views

app_name = "open311"


def both(pattern: str, view, name: str):
    return [re_path(rf"^{pattern}\.{fmt}$", view, {"fmt": fmt}, name=f"{name}_{fmt}") for fmt in ("json", "xml")]


urlpatterns = [
    *both("discovery", views.discovery, "discovery"),
    *both(r"services(?:/(?P<service_code>[^/.]+))?", views.service_list, "services"),
    *both(r"requests(?:/(?P<request_id>[^/.]+))?", views.request_list, "requests"),
    *both(r"tokens(?:/(?P<token>[^/]+?))?", views.token_lookup, "tokens"),
    *both("servicerequestupdates", views.request_updates, "updates"),
    re_path(r"^media(?:/(?P<file_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))?$", views.media,
            name="media"),
]
