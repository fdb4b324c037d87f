from django.urls import path

from . import config_views, map_views, patrol_views, report_views, stats_views, views

app_name = "cases"

urlpatterns = [
    path("", views.board, name="board"),
    path("bulk/", views.bulk, name="bulk"),
    path("export.xlsx", views.export, name="export"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/move/<str:name>/", views.move, name="move"),
    path("<int:pk>/notice/", views.notice, name="notice"),
    path("stats.xlsx", views.stats_export, name="stats_export"),
    path("report/", report_views.report, name="report"),
    path("report/grids/", report_views.report_grids, name="report_grids"),
    path("nearby/", report_views.nearby, name="nearby"),
    path("nearby/follow/", report_views.nearby_follow, name="nearby_follow"),
    path("locate/", report_views.locate_point, name="locate"),
    path("mine/", report_views.my_reports, name="my_reports"),
    path("<int:pk>/my/edit/", report_views.my_edit, name="my_edit"),
    path("<int:pk>/my/withdraw/", report_views.my_withdraw, name="my_withdraw"),
    path("<int:pk>/my/rate/", report_views.my_rate, name="my_rate"),
    path("patrol/", patrol_views.patrol_home, name="patrol"),
    path("patrol/start/", patrol_views.patrol_start, name="patrol_start"),
    path("patrol/<int:pk>/end/", patrol_views.patrol_end, name="patrol_end"),
    path("patrol/<int:pk>/finding/", patrol_views.patrol_finding, name="patrol_finding"),
    path("map/", map_views.case_map, name="map"),
    path("stats/", stats_views.stats_page, name="stats"),
    path("config/categories/", config_views.category_list, name="config_categories"),
    path("config/categories/<int:pk>/", config_views.category_edit, name="config_category"),
]
