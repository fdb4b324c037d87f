"""Roles of the new-economy work: industry party committee staff (foundation role) and the party-building
instructor (党建工作指导员) who is assigned to firms and visits them."""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import register_role

register_role("instructor", _("Party-building instructor"), level="org")
