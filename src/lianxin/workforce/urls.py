from django.urls import path

from . import excel_views, views

app_name = "workforce"

urlpatterns = [
    path("", views.worker_list, name="list"),
    path("new/", views.worker_create, name="create"),
    path("import/", excel_views.worker_import, name="import"),
    path("import/template.xlsx", excel_views.worker_import_template, name="import_template"),
    path("export.xlsx", excel_views.worker_export, name="export"),
    path("me/", views.me, name="me"),
    path("<int:pk>/", views.worker_detail, name="detail"),
    path("<int:pk>/edit/", views.worker_edit, name="edit"),
    path("<int:pk>/grid/", views.worker_grid, name="grid"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/new/", views.registration_create, name="registration_create"),
    path("registrations/export.xlsx", excel_views.registration_export, name="registration_export"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/end/", views.registration_end, name="registration_end"),
    path("registrations/<int:pk>/feedback/", views.registration_feedback, name="registration_feedback"),
    path("services/", views.service_board, name="services"),
    path("services/new/", views.need_create, name="need_create"),
    path("services/<int:pk>/assign/", views.service_assign, name="service_assign"),
    path("services/<int:pk>/take/", views.service_take, name="service_take"),
    path("services/<int:pk>/done/", views.service_done, name="service_done"),
    path("committee/", views.committee_list, name="committee"),
    path("committee/new/", views.committee_create, name="committee_create"),
    path("committee/export.xlsx", excel_views.committee_export, name="committee_export"),
    path("committee/<int:pk>/", views.committee_member, name="committee_member"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/export.xlsx", excel_views.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/team/", views.campaign_team, name="campaign_team"),
    path("campaigns/<int:pk>/deliver/", views.campaign_deliver, name="campaign_deliver"),
    path("problems/", views.problems, name="problems"),
    path("problems/export.xlsx", excel_views.problems_export, name="problems_export"),
]
