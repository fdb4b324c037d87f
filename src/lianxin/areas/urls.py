from django.urls import path

from . import excel_views, views

app_name = "areas"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("boundaries/import/", views.import_boundaries, name="import_boundaries"),
    path("import/", excel_views.area_import, name="import"),
    path("import/template.xlsx", excel_views.area_import_template, name="import_template"),
    path("export.xlsx", excel_views.area_export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/children/", views.children, name="children"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/history/", views.area_history, name="history"),
]
