from django.urls import path

from . import excel_views, views

app_name = "orgs"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("import/", excel_views.org_import, name="import"),
    path("import/template.xlsx", excel_views.org_import_template, name="import_template"),
    path("export.xlsx", excel_views.org_export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/history/", views.org_history, name="history"),
]
