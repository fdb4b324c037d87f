from django.urls import path

from . import excel_views, group_views, views

app_name = "care"

urlpatterns = [
    path("", views.retiree_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("stats/", views.stats, name="stats"),
    path("import/", excel_views.retiree_import, name="import"),
    path("import/template.xlsx", excel_views.retiree_import_template, name="import_template"),
    path("export.xlsx", excel_views.retiree_export, name="export"),
    path("ledgers/", excel_views.ledgers, name="ledgers"),
    path("ledgers/assignments.xlsx", excel_views.assignments_export, name="export_assignments"),
    path("ledgers/logs.xlsx", excel_views.logs_export, name="export_logs"),
    path("ledgers/obligations.xlsx", excel_views.obligations_export, name="export_obligations"),
    path("ledgers/plan-entries.xlsx", excel_views.plan_entries_export, name="export_plan_entries"),
    path("ledgers/retirement-steps.xlsx", excel_views.steps_export, name="export_steps"),
    path("ledgers/liaisons.xlsx", excel_views.liaisons_export, name="export_liaisons"),
    path("ledgers/health-events.xlsx", excel_views.health_events_export, name="export_health_events"),
    path("ledgers/festival-visits.xlsx", excel_views.groups_export, name="export_groups"),
    path("liaison/", views.liaison_mine, name="liaison_mine"),
    path("festivals/", group_views.groups, name="groups"),
    path("festivals/new/", group_views.group_create, name="group_create"),
    path("festivals/<int:pk>/", group_views.group_detail, name="group"),
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
