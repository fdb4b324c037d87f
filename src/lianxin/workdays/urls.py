from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("set/", views.calendar_set, name="set"),
    path("<int:pk>/remove/", views.calendar_remove, name="remove"),
]
