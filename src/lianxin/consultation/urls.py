from django.urls import path, re_path

from . import public_views, stats_views, views

app_name = "consultation"

urlpatterns = [
    path("", views.topics, name="topics"),
    path("topics/new/", views.raise_topic, name="raise"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/support/", views.support, name="support"),
    path("topics/<int:pk>/triage/", views.triage, name="triage"),
    path("councils/", views.councils, name="councils"),
    path("councils/new/", views.council_create, name="council_create"),
    path("councils/<int:pk>/", views.council_detail, name="council"),
    path("councils/<int:pk>/members/", views.member_add, name="member_add"),
    path("councils/<int:pk>/meetings/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("meetings/<int:pk>/record.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/step/", views.step, name="step"),
    path("decisions/<int:pk>/task/", views.task, name="task"),
    path("decisions/<int:pk>/rate/", views.rate, name="rate"),
    path("figures/", stats_views.figures_page, name="stats"),
    path("figures.xlsx", stats_views.export, name="export"),
    # Public (no sign-in): a community's results. The code is optional so that the route reverses without
    # arguments (the permission matrix opens every route); without it, the communities with results.
    re_path(r"^results(?:/(?P<code>\d{6,12}))?/$", public_views.results, name="public"),
]
