from django.urls import path

from . import excel_views, views

app_name = "newgroups"

urlpatterns = [
    path("", views.firm_list, name="firms"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.firm_create, name="firm_create"),
    path("import/", excel_views.firm_import, name="import"),
    path("import/template.xlsx", excel_views.firm_import_template, name="import_template"),
    path("export.xlsx", excel_views.firm_export, name="export"),
    path("firms/<int:pk>/", views.firm_detail, name="firm"),
    path("firms/<int:pk>/edit/", views.firm_edit, name="firm_edit"),
    path("firms/<int:pk>/coverage/", views.firm_coverage, name="firm_coverage"),
    path("firms/<int:pk>/instructor/", views.firm_assign, name="firm_assign"),
    path("firms/<int:pk>/visit/", views.firm_visit, name="firm_visit"),
    path("firms/<int:pk>/closeout/", views.firm_open_closeout, name="firm_open_closeout"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/export.xlsx", excel_views.coverage_export, name="coverage_export"),
    path("instructors/export.xlsx", excel_views.instructors_export, name="instructors_export"),
    path("closeouts/", views.closeout_list, name="closeouts"),
    path("closeouts/scan/", views.closeout_scan, name="closeout_scan"),
    path("closeouts/export.xlsx", excel_views.closeouts_export, name="closeouts_export"),
    path("closeouts/<int:pk>/", views.closeout_detail, name="closeout"),
    path("closeouts/<int:pk>/close/", views.closeout_close, name="closeout_close"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/new/", views.measure_create, name="measure_create"),
    path("measures/export.xlsx", excel_views.measures_export, name="measures_export"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/file", views.measure_file, name="measure_file"),
    path("stats/", views.stats, name="stats"),
    path("stats/export.xlsx", excel_views.stats_export, name="stats_export"),
]
