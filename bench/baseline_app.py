"""Calibration for bench/intake.py --baseline: a bare Django view inserting one row, served the same way.

The issue's yardstick ("on such a machine a bare Django view inserting one row serves about 1,500/s"),
measured on the machine at hand, with the same gunicorn, database and load client as the real intake. No
middleware, no authentication, no validation: one INSERT per POST in autocommit. Not part of the app.
"""

import os

import dj_database_url
from django.conf import settings

settings.configure(
    DEBUG=False, ALLOWED_HOSTS=["127.0.0.1"], ROOT_URLCONF=__name__, MIDDLEWARE=[], INSTALLED_APPS=[],
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)},
)

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse, JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402


@csrf_exempt
def insert_one(request):
    if request.method != "POST":
        return HttpResponse("ready")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_baseline (body) VALUES (%s) RETURNING id", [request.body.decode()])
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("api/cases/", insert_one), path("api/schema/", insert_one)]

with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY, body text NOT NULL, "
              "at timestamptz NOT NULL DEFAULT now())")
connection.close()
application = get_wsgi_application()
