"""The station manager keeps a station's record, hours and photos, and its QR poster."""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import register_role

register_role("station_manager", _("Station manager"), level="community")
