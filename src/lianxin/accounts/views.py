from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from lianxin.core.audit import history
from lianxin.core.notify.channels import development_sms
from lianxin.core.visibility import ensure_created_in_scope, may_anywhere, public, scoped

from . import services, sms, twofactor, twofactor_views
from .backends import SmsCodeBackend
from .forms import AccountForm, GrantForm, SmsLoginForm, SmsSendForm
from .models import RoleGrant, User


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return reverse("core:home")
    return target


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _login_throttled(request, *, count: bool) -> bool:
    """Failed passwords counted per account across addresses and per address across accounts (django-axes locks
    the pair). Windows are fixed and short, so an attacker can hold an account for one window at most, and the
    real owner is never locked out for longer; ``count`` adds this failure."""
    username = (request.POST.get("username") or "").strip().lower()
    limits = [("login:account", lambda _g, _r: username, settings.LOGIN_FAILURES_PER_ACCOUNT),
              ("login:address", "ip", settings.LOGIN_FAILURES_PER_ADDRESS)]
    return any([is_ratelimited(request, group=group, key=key, rate=rate, increment=count)
                for group, key, rate in limits])  # a list: every counter counts this failure


@public
def login_view(request):
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        if _login_throttled(request, count=False):
            form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
            form.cleaned_data = {}
            form.add_error(None, _("Too many failed sign-in attempts for this account or from this network. "
                                   "Please wait 15 minutes and try again."))
            return render(request, "accounts/login.html", {"form": form, "tab": "password"}, status=429)
        if form.is_valid():
            return twofactor_views.start(request, form.get_user(), _safe_next(request))
        _login_throttled(request, count=True)
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request), "tab": "password"})


def locked_out(request, credentials, *args, **kwargs):
    """django-axes: too many failed passwords for this username from this address."""
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    form.cleaned_data = {}  # an unbound form has none, and add_error needs it
    form.add_error(None, _("Too many failed sign-in attempts. Please wait 15 minutes and try again."))
    return render(request, "accounts/login.html", {"form": form, "tab": "password"}, status=429)


@public
def sms_login(request):
    send_form = SmsSendForm(prefix="send")
    form = SmsLoginForm(request.POST or None, initial={"phone": request.GET.get("phone", "")})
    if request.method == "POST":
        if "send" in request.POST:
            send_form = SmsSendForm(request.POST)
            form = SmsLoginForm(initial={"phone": request.POST.get("phone", "")})
            if send_form.is_valid():
                try:
                    with transaction.atomic():
                        sms.send_login_code(send_form.cleaned_data["phone"], ip=_client_ip(request))
                    messages.success(request, _("A code has been sent by SMS. It is valid for 5 minutes."))
                except ValidationError as e:
                    messages.error(request, " ".join(e.messages))
        elif form.is_valid():
            # The SMS backend directly, not auth.authenticate(): a wrong code must not count as an axes
            # password failure (those have no username, so five wrong codes from one address, e.g. a
            # carrier's NAT, locked SMS sign-in for everyone behind it). Codes have their own limits.
            user = SmsCodeBackend().authenticate(request, phone=form.cleaned_data["phone"],
                                                 code=form.cleaned_data["code"])
            if user is not None:
                login(request, user, backend="lianxin.accounts.backends.SmsCodeBackend")
                return redirect(_safe_next(request))
            form.add_error("code", _("The code is wrong or has expired (staff accounts sign in with their "
                                     "password). Ask for a new code if needed."))
    return render(request, "accounts/sms_login.html",
                  {"form": form, "send_form": send_form, "next": _safe_next(request), "tab": "sms",
                   "development_sms": development_sms()})


@public
@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:login")


@scoped(User, "view", kind="list")
def account_list(request, qs):
    q = request.GET.get("q", "").strip()
    qs = qs.select_related("person", "area").order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(person__name__icontains=q))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/list.html", {"page": page, "q": q, "query": f"q={q}" if q else "",
                                                  "may_add": may_anywhere(request.user, User, "add")})


@scoped(User, "view")
def account_detail(request, obj):
    grants = RoleGrant.objects.visible_to(request.user).filter(user=obj).select_related("area", "org")
    return render(request, "accounts/detail.html", {"obj": obj, "grants": grants,
                                                    "two_factor": twofactor.confirmed_device(obj) is not None,
                                                    "two_factor_required": twofactor.required_for(obj)})


@scoped(User, "add", kind="create")
def account_create(request):
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                d = form.cleaned_data
                user = services.create_account(actor=request.user, username=d["username"], person=d["person"],
                                               area=d["area"], password=d["password"] or None)
                ensure_created_in_scope(request.user, user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Account created."))
            return redirect("accounts:detail", pk=user.pk)
    return render(request, "lianxin/form.html",
                  {"form": form, "title": _("New account"), "back_url": reverse("accounts:list")})


@scoped(User, "change")
@require_POST
def account_toggle_active(request, obj):
    if obj == request.user:
        messages.error(request, _("You cannot deactivate your own account."))
    else:
        services.update_account(obj, actor=request.user, is_active=not obj.is_active)
        messages.success(request, _("Account activated.") if obj.is_active else _("Account deactivated."))
    return redirect("accounts:detail", pk=obj.pk)


@scoped(User, "change")
def grant_create(request, obj):
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                grant = services.grant_role(actor=request.user, user=obj, role=d["role"], area=d["area"], org=d["org"])
                ensure_created_in_scope(request.user, grant)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:detail", pk=obj.pk)
    return render(request, "lianxin/form.html", {
        "form": form, "title": _("Grant a role to %(name)s") % {"name": obj.display_name},
        "back_url": reverse("accounts:detail", args=[obj.pk]),
    })


@scoped(RoleGrant, "delete")
@require_POST
def grant_delete(request, obj):
    user_pk = obj.user_id
    services.revoke_grant(obj, actor=request.user)
    messages.success(request, _("Role removed."))
    return redirect("accounts:detail", pk=user_pk)


@scoped(User, "audit")
def account_history(request, obj):
    return render(request, "lianxin/history.html", {
        "obj": obj, "entries": history(obj), "back_url": reverse("accounts:detail", args=[obj.pk]),
    })


