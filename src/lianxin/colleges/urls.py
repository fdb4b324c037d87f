from django.urls import path

from . import excel_views, views

app_name = "colleges"

urlpatterns = [
    path("", views.campus_list, name="list"),
    path("lecturers/", views.lecturers, name="lecturers"),
    path("import/", excel_views.enrolment_import, name="import"),
    path("import/template.xlsx", excel_views.enrolment_import_template, name="import_template"),
    path("campus/<int:pk>/", views.campus, name="campus"),
    path("class/<int:pk>/", views.klass, name="klass"),
    path("class/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("class/<int:pk>/draw/", views.draw, name="draw"),
    path("class/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("class/<int:pk>/lesson/", views.lesson, name="lesson"),
]
