from django.urls import path, re_path

from . import excel_views, public_views, stats_views, views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="list"),
    path("new/", views.station_create, name="create"),
    path("stats/", stats_views.stats, name="stats"),
    path("export.xlsx", excel_views.stations_export, name="export"),
    path("checkins.xlsx", excel_views.checkins_export, name="checkins_export"),
    path("<int:pk>/", views.station_detail, name="detail"),
    path("<int:pk>/edit/", views.station_edit, name="edit"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<uuid:file_id>/", views.photo, name="photo"),
    path("<int:pk>/token/", views.token_rotate, name="token_rotate"),
    path("<int:pk>/poster.pdf", views.station_poster, name="poster"),
    # Public (no sign-in): the finder and the QR check-in page. The token group is optional so that the
    # route reverses without arguments (the permission matrix opens every route).
    path("find/", public_views.finder, name="find"),
    re_path(r"^c(?:/(?P<token>[A-Za-z0-9_-]{1,32}))?/$", public_views.checkin, name="checkin"),
]
