from django.urls import path

from . import excel_views, read_views, stats_views, views

app_name = "learning"

urlpatterns = [
    path("", read_views.library, name="library"),
    path("search/", read_views.search_page, name="search"),
    path("r/<int:pk>/", read_views.read, name="read"),
    path("r/<int:pk>/beacon/", read_views.beacon, name="beacon"),
    path("items/", views.item_list, name="list"),
    path("items/new/", views.item_create, name="create"),
    path("items/<int:pk>/", views.item_detail, name="detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="edit"),
    path("items/<int:pk>/move/", views.item_move, name="move"),
    path("items/<int:pk>/qr.svg", views.item_qr, name="qr"),
    path("assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("stats/", stats_views.stats, name="stats"),
    path("stats.xlsx", excel_views.export, name="export"),
    path("categories/", views.category_list, name="categories"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
]
