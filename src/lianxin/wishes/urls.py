from django.urls import path

from . import views

app_name = "wishes"

urlpatterns = [
    path("", views.board, name="board"),
    path("claim/", views.claim, name="claim"),
    path("post/", views.post, name="post"),
    path("export.xlsx", views.export, name="export"),
]
