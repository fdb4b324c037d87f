from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("stats.xlsx", views.stats_export, name="stats_export"),
]
