from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .audit import actor_context
from .models import Notification, StoredFile
from .roles import ROLES
from .visibility import personal, public, scoped, user_grants
from .widgets import widgets_for


@personal
def home(request):
    grants = user_grants(request.user)
    return render(request, "core/home.html", {
        "grants": [(g, ROLES.get(g.role)) for g in grants],
        "widgets": widgets_for(request),
    })


@personal
def inbox(request):
    notes = Notification.objects.filter(recipient=request.user)
    page = Paginator(notes, 30).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@personal
@require_POST
def inbox_read(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("All messages marked as read."))
    return redirect("core:inbox")


def _next_url(request, default="/"):
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or default
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = default
    return target


@public
@require_POST
def large_text(request):
    on = request.POST.get("on") == "1"
    response = HttpResponseRedirect(_next_url(request))
    if request.user.is_authenticated:
        with actor_context(request.user), transaction.atomic():
            request.user.large_text = on
            request.user.save(update_fields=["large_text"])
    response.set_cookie("large_text", "1" if on else "0", max_age=365 * 24 * 3600, samesite="Lax")
    return response


@public
def set_language(request):
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in {code for code, _name in settings.LANGUAGES} \
            and request.user.language != language:
        get_user_model().objects.filter(pk=request.user.pk).update(language=language)  # for notifications
    return response


@scoped(StoredFile, "view")
def file_download(request, obj):
    response = FileResponse(obj.file.open("rb"), content_type=obj.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    if not obj.is_image:
        response["Content-Disposition"] = f'attachment; filename="{obj.pk}"'
    return response


def map_settings():
    return {"provider": settings.MAP_TILE_PROVIDER, "key": settings.TIANDITU_KEY}
