from django.urls import path

from . import excel_views, views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("import/", excel_views.person_import, name="import"),
    path("import/template.xlsx", excel_views.person_import_template, name="import_template"),
    path("export.xlsx", excel_views.person_export, name="export"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/delete/", views.person_delete, name="delete"),
    path("<int:pk>/reveal/", views.person_reveal, name="reveal"),
    path("<int:pk>/history/", views.person_history, name="history"),
]
