"""The station manager keeps a station's record, hours and photos, and its QR poster.

Staff of a community, town or county, the organisation department (组织部) and administrators keep the
stations of their subtree; a station manager those of the area it is granted at, plus any station that
names it as manager (Station.involvement_q). Check-ins are read by the same people.
"""

from django.utils.translation import gettext_lazy as _

from lianxin.core.roles import allow, put_first, register_role

STATION = "stations.station"
CHECKIN = "stations.checkin"

register_role("station_manager", _("Station manager"), level="community")

STAFF = ("community_staff", "town_staff", "county_staff", "org_department", "administrator")
for role in (*STAFF, "station_manager"):
    allow(role, STATION, "view", "add", "change")
    allow(role, CHECKIN, "view")
# The manager picks its station's grid or community in the form (area names and boundaries, nothing personal).
allow("station_manager", "areas.area", "view")

put_first("station_manager", "stations")
