"""Community, town and county staff, the organisation department and the administrator keep the senior
colleges of their subtree: campuses, courses, classes and lecturers, enrolments (also on someone's behalf) and
the lottery."""

from lianxin.core.roles import allow

MODELS = ("colleges.campus", "colleges.course", "colleges.klass", "colleges.lecturer")
for role in ("community_staff", "town_staff", "county_staff", "org_department", "administrator"):
    for model in MODELS:
        allow(role, model, "view", "add", "change")
