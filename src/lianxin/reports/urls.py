from django.urls import path

from . import briefing_views, views

app_name = "reports"

urlpatterns = [
    path("", views.figures, name="figures"),
    path("export.xlsx", views.export, name="export"),
    path("records/", views.records, name="records"),
    path("screen/", views.screen, name="screen"),
    path("briefings/", briefing_views.briefings, name="briefings"),
    path("briefings/subscribe/<int:pk>/", briefing_views.subscribe, name="subscribe"),
    path("briefings/new/", briefing_views.briefing_new, name="briefing_new"),
    path("briefings/<int:pk>/", briefing_views.briefing, name="briefing"),
    path("briefings/<int:pk>/edit/", briefing_views.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/issue/", briefing_views.briefing_issue, name="briefing_issue"),
    path("briefings/<int:pk>/briefing.docx", briefing_views.briefing_docx, name="briefing_docx"),
    path("briefings/<int:pk>/briefing.pdf", briefing_views.briefing_pdf, name="briefing_pdf"),
    path("briefings/<int:pk>/chart-<str:app>.png", briefing_views.briefing_chart, name="briefing_chart"),
]
