"""Who does what in consultation.

Residents and grid workers raise and support topics of their community (grid workers: of their grid), residents
read and rate its decisions;
community, town and county staff and administrators keep councils, triage topics, hold meetings and follow up.
"""

from lianxin.core.roles import allow

COUNCIL = "consultation.council"
TOPIC = "consultation.topic"
MEETING = "consultation.meeting"
DECISION = "consultation.decision"

STAFF = ("community_staff", "town_staff", "county_staff", "administrator")
RESIDENTS = ("resident", "grid_worker")

for role in STAFF:
    allow(role, COUNCIL, "view", "add", "change")
    allow(role, TOPIC, "view", "add", "support", "triage")
    allow(role, MEETING, "view", "add", "change")
    allow(role, DECISION, "view", "change", "rate")
for role in RESIDENTS:
    allow(role, TOPIC, "view", "add", "support")
allow("resident", DECISION, "view", "rate")
allow("org_department", COUNCIL, "view")
allow("org_department", DECISION, "view")
