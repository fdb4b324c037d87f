from django.urls import path

from . import config_views, stats_views, views
from . import dossier_views as dv

app_name = "villages"

urlpatterns = [
    path("", views.village_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.village_detail, name="detail"),
    path("<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("<int:pk>/coverage/", views.coverage, name="coverage"),
    path("<int:pk>/survey/", views.survey, name="survey"),
    path("<int:pk>/survey/history/", views.survey_history, name="survey_history"),
    path("gaps/", views.gaps, name="gaps"),
    path("terms/", views.term_list, name="terms"),
    path("terms/new/", views.term_create, name="term_create"),
    path("terms/<int:pk>/", views.term_detail, name="term"),
    path("terms/<int:pk>/handover/", views.handover, name="handover"),
    path("households/", views.household_list, name="households"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/visit/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/case/", views.answer_case, name="answer_case"),
    path("dossiers/", dv.overview, name="dossiers"),
    path("plans/", dv.plans, name="plans"),
    path("plans/new/", dv.plan_create, name="plans_create"),
    path("plans/<int:pk>/", dv.plan_detail, name="plans_detail"),
    path("plans/<int:pk>/edit/", dv.plan_edit, name="plans_edit"),
    path("projects/", dv.projects, name="projects"),
    path("projects/new/", dv.project_create, name="projects_create"),
    path("projects/<int:pk>/", dv.project_detail, name="projects_detail"),
    path("projects/<int:pk>/edit/", dv.project_edit, name="projects_edit"),
    path("reports/", dv.reports, name="reports"),
    path("reports/new/", dv.report_create, name="reports_create"),
    path("reports/<int:pk>/", dv.report_detail, name="reports_detail"),
    path("reports/<int:pk>/edit/", dv.report_edit, name="reports_edit"),
    path("reports/<int:pk>/review/", dv.report_review, name="report_review"),
    path("config/", config_views.config, name="config"),
    path("stats/", stats_views.stats, name="stats"),
    path("stats/export.xlsx", stats_views.export, name="export"),
]
