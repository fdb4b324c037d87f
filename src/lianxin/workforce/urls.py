from django.urls import path

from . import (
    campaign_views,
    committee_views,
    excel_views,
    problem_views,
    registration_views,
    service_views,
    worker_views,
)

app_name = "workforce"

urlpatterns = [
    path("", worker_views.worker_list, name="list"),
    path("new/", worker_views.worker_create, name="create"),
    path("import/", excel_views.worker_import, name="import"),
    path("import/template.xlsx", excel_views.worker_import_template, name="import_template"),
    path("export.xlsx", excel_views.worker_export, name="export"),
    path("me/", worker_views.me, name="me"),
    path("<int:pk>/", worker_views.worker_detail, name="detail"),
    path("<int:pk>/edit/", worker_views.worker_edit, name="edit"),
    path("<int:pk>/grid/", worker_views.worker_grid, name="grid"),
    path("registrations/", registration_views.registration_list, name="registrations"),
    path("registrations/new/", registration_views.registration_create, name="registration_create"),
    path("registrations/export.xlsx", excel_views.registration_export, name="registration_export"),
    path("registrations/<int:pk>/", registration_views.registration_detail, name="registration"),
    path("registrations/<int:pk>/end/", registration_views.registration_end, name="registration_end"),
    path("registrations/<int:pk>/feedback/", registration_views.registration_feedback, name="registration_feedback"),
    path("services/", service_views.service_board, name="services"),
    path("services/new/", service_views.need_create, name="need_create"),
    path("services/<int:pk>/assign/", service_views.service_assign, name="service_assign"),
    path("services/<int:pk>/take/", service_views.service_take, name="service_take"),
    path("services/<int:pk>/done/", service_views.service_done, name="service_done"),
    path("committee/", committee_views.committee_list, name="committee"),
    path("committee/new/", committee_views.committee_create, name="committee_create"),
    path("committee/export.xlsx", excel_views.committee_export, name="committee_export"),
    path("committee/<int:pk>/", committee_views.committee_member, name="committee_member"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign_create"),
    path("campaigns/export.xlsx", excel_views.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/team/", campaign_views.campaign_team, name="campaign_team"),
    path("campaigns/<int:pk>/deliver/", campaign_views.campaign_deliver, name="campaign_deliver"),
    path("problems/", problem_views.problems, name="problems"),
    path("problems/export.xlsx", excel_views.problems_export, name="problems_export"),
]
