from django.contrib.auth.backends import BaseBackend

from .models import User
from .sms import check_login_code

# Field roles worked from a phone: a rider linked to a grid as part-time grid worker (workforce) or a volunteer
# keeps signing in with the SMS code. Any other role needs the password.
SMS_ROLES = ("resident", "grid_worker", "volunteer")


class SmsCodeBackend(BaseBackend):
    """authenticate(request, phone=..., code=...): signs in (and first registers) a resident."""

    def authenticate(self, request, phone=None, code=None, **kwargs):
        if phone is None or code is None or not check_login_code(phone, code):
            return None
        from .services import resident_account_for_phone

        user = resident_account_for_phone(phone)
        # Staff accounts sign in with their password: an SMS code alone must never open them.
        if user.is_superuser or user.grants.exclude(role__in=SMS_ROLES).exists():
            return None
        return user if user.is_active else None

    def get_user(self, user_id):
        return User.objects.filter(pk=user_id, is_active=True).first()
