from django.urls import path, re_path

from . import excel_views, member_views, views

app_name = "activities"

urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("today/", views.organiser, name="organiser"),
    path("new/", views.create, name="create"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("ledger.xlsx", excel_views.ledger, name="ledger"),
    path("themes/", views.themes, name="themes"),
    path("themes/new/", views.theme_create, name="theme_create"),
    path("themes/<int:pk>/", views.theme, name="theme"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sheet.pdf", views.sheet, name="sheet"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("<int:pk>/signin/", views.signin, name="signin"),
    path("<int:pk>/signin/qr/", views.qr_frame, name="qr"),
    path("<int:pk>/roster/", views.tick, name="tick"),
    path("<int:pk>/minutes/", views.minutes, name="minutes"),
    path("<int:pk>/held/", views.held, name="held"),
    path("<int:pk>/postpone/", views.postpone, name="postpone"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    # The participant's own pages. The scan route's groups are optional so that it reverses without
    # arguments (the permission matrix opens every route).
    path("mine/", member_views.mine, name="mine"),
    path("mine/respond/", member_views.respond, name="respond"),
    re_path(r"^s(?:/(?P<activity>\d+)/(?P<token>[0-9a-f]{1,40}))?/$", member_views.scan, name="scan"),
]
