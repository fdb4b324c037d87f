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
    path("config/calendar/", include("lianxin.workdays.urls")),
    path("api/", include("lianxin.api.urls")),
    path("open311/v2/", include("lianxin.api.open311.urls")),
]
