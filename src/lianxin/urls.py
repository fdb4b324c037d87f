from django.urls import include, path

urlpatterns = [
    path("", include("lianxin.core.urls")),
    path("accounts/", include("lianxin.accounts.urls")),
    path("areas/", include("lianxin.areas.urls")),
    path("orgs/", include("lianxin.orgs.urls")),
    path("people/", include("lianxin.people.urls")),
    path("cases/", include("lianxin.cases.urls")),
    path("care/", include("lianxin.care.urls")),
    path("wishes/", include("lianxin.wishes.urls")),
    path("newgroups/", include("lianxin.newgroups.urls")),
    path("workforce/", include("lianxin.workforce.urls")),
    path("stations/", include("lianxin.stations.urls")),
    path("reports/", include("lianxin.reports.urls")),
    path("learning/", include("lianxin.learning.urls")),
    path("consultation/", include("lianxin.consultation.urls")),
    path("talent/", include("lianxin.talent.urls")),
    path("villages/", include("lianxin.villages.urls")),
    path("activities/", include("lianxin.activities.urls")),
    path("colleges/", include("lianxin.colleges.urls")),
    path("config/calendar/", include("lianxin.workdays.urls")),
    path("api/", include("lianxin.api.urls")),
    path("open311/v2/", include("lianxin.api.open311.urls")),
]

# Under /api/ a 404 (no such endpoint) and a 500 are JSON like every other API error (lianxin.api.rest.errors);
# the HTML pages elsewhere.
handler404 = "lianxin.api.rest.errors.page_not_found"
handler500 = "lianxin.api.rest.errors.server_error"
