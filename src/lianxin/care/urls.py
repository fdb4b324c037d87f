from django.urls import path

from . import excel_views, views

app_name = "care"

urlpatterns = [
    path("", views.retiree_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("stats/", views.stats, name="stats"),
    path("import/", excel_views.retiree_import, name="import"),
    path("import/template.xlsx", excel_views.retiree_import_template, name="import_template"),
    path("export.xlsx", excel_views.retiree_export, name="export"),
    path("<int:pk>/", views.retiree_detail, name="detail"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path("<int:pk>/log/", views.log, name="log"),
    path("<int:pk>/plan/", views.plan_entry_add, name="plan_entry"),
    path("<int:pk>/status/", views.status_change, name="status"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/steps/", views.step_mark, name="steps"),
    path("liaisons/", views.liaisons, name="liaisons"),
    path("health/", views.health_events, name="health_events"),
    path("health/new/", views.health_event_create, name="health_event_create"),
    path("health/<int:pk>/", views.health_event, name="health_event"),
    path("health/<int:pk>/cover/", views.health_event_cover, name="health_event_cover"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/liaisons/", views.liaison_change, name="liaison_change"),
]
