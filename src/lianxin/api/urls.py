from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from lianxin.cases.models import Case
from lianxin.core.visibility import public

from .rest import views

app_name = "api"

urlpatterns = [
    path("cases/", views.scoped_api(views.CaseListView, Case, kind="list"), name="cases"),
    path("cases/stats/", views.scoped_api(views.CaseStatsView, Case, kind="list"), name="case_stats"),
    path("cases/<int:pk>/", views.scoped_api(views.CaseDetailView, Case, kind="object"), name="case"),
    path("cases/<int:pk>/moves/<str:name>/",
         views.scoped_api(views.CaseMoveView, Case, kind="object", sample={"name": "accept"}), name="case_move"),
    # The document describes the interface, not data: anyone may read it.
    path("schema/", public(SpectacularAPIView.as_view()), name="schema"),
]
