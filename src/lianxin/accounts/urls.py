from django.urls import path

from . import excel_views, twofactor_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/sms/", views.sms_login, name="sms_login"),
    path("logout/", views.logout_view, name="logout"),
    path("two-factor/", twofactor_views.second_step, name="two_factor"),
    path("two-factor/setup/", twofactor_views.setup, name="two_factor_setup"),
    path("<int:pk>/two-factor/reset/", twofactor_views.reset, name="two_factor_reset"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("import/", excel_views.account_import, name="import"),
    path("import/template.xlsx", excel_views.account_import_template, name="import_template"),
    path("<int:pk>/", views.account_detail, name="detail"),
    path("<int:pk>/active/", views.account_toggle_active, name="toggle_active"),
    path("<int:pk>/grants/new/", views.grant_create, name="grant_create"),
    path("<int:pk>/history/", views.account_history, name="history"),
    path("grants/<int:pk>/delete/", views.grant_delete, name="grant_delete"),
]
