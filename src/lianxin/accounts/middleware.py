from django.shortcuts import redirect
from django.urls import reverse

from .twofactor_views import ENROL


class TwoFactorEnrolmentMiddleware:
    """A password sign-in of a role that requires two-step sign-in leads to the set-up page until it is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(ENROL) and request.user.is_authenticated:
            allowed = (reverse("accounts:two_factor_setup"), reverse("accounts:logout"), reverse("core:set_language"))
            if request.path not in allowed and not request.path.startswith(("/static/", "/healthz")):
                return redirect("accounts:two_factor_setup")
        return self.get_response(request)
