"""The second step of a password sign-in, enrolment of an authenticator, and its reset by an administrator."""

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from lianxin.core.visibility import personal, public, scoped

from . import twofactor
from .models import User

PENDING = "lianxin_2fa_pending"  # session: (user pk, backend, next) between the password and the code
ENROL = "lianxin_2fa_enrol"  # session: signed in, but must set up an authenticator before anything else


def start(request, user, next_url: str):
    """After a correct password: ask for the code, or sign in (and send to enrolment where it is required)."""
    if twofactor.confirmed_device(user):
        request.session[PENDING] = [user.pk, user.backend, next_url]
        return redirect("accounts:two_factor")
    login(request, user)
    if twofactor.required_for(user):
        request.session[ENROL] = True
        return redirect("accounts:two_factor_setup")
    return redirect(next_url)


@public
def second_step(request):
    from .views import _login_throttled

    pending = request.session.get(PENDING)
    if not pending:
        return redirect("accounts:login")
    user = twofactor.pending_user(pending[0])
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("accounts:login")
    error = None
    if request.method == "POST":
        request.POST = request.POST.copy()
        request.POST["username"] = user.username  # the throttle counts failed codes against the account too
        if _login_throttled(request, count=False):
            error = _("Too many failed sign-in attempts for this account or from this network. "
                      "Please wait 15 minutes and try again.")
        elif (device := twofactor.verify(user, request.POST.get("token"))) is not None:
            request.session.pop(PENDING, None)
            user.backend = pending[1]
            login(request, user)
            otp_login(request, device)
            if device.persistent_id.startswith("otp_static"):
                messages.warning(request, _("You signed in with a recovery code; it cannot be used again."))
            return redirect(pending[2])
        else:
            _login_throttled(request, count=True)
            error = _("The code is wrong or has expired. Enter the six digits your authenticator app shows now, "
                      "or one of your recovery codes.")
    return render(request, "accounts/two_factor.html", {"error": error}, status=200 if error is None else 400)


@personal
def setup(request):
    """Set up an authenticator: scan the QR code (or type the key), confirm with a code, keep the recovery codes."""
    device = twofactor.pending_device(request.user)
    error = None
    if request.method == "POST":
        codes = twofactor.confirm(request.user, request.POST.get("token"))
        if codes is not None:
            request.session.pop(ENROL, None)
            otp_login(request, twofactor.confirmed_device(request.user))
            return render(request, "accounts/two_factor_codes.html", {"codes": codes})
        error = _("That code does not match. Check the phone's time and enter the code the app shows now.")
    url = twofactor.otpauth_url(device)
    return render(request, "accounts/two_factor_setup.html", {
        "qr": segno.make(url, error="m").svg_data_uri(scale=5, border=2), "secret": twofactor.secret_text(device),
        "required": request.session.get(ENROL, False), "enabled": twofactor.confirmed_device(request.user) is not None,
        "error": error})


@scoped(User, "change")
@require_POST
def reset(request, obj):
    twofactor.reset(obj, actor=request.user)
    messages.success(request, _("The second factor of %(user)s was reset; they set it up again at their next "
                                "sign-in.") % {"user": obj.username})
    return redirect(reverse("accounts:detail", args=[obj.pk]))
