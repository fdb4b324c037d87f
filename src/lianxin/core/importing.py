"""The import page every ledger shares: upload, check, import all or nothing.

A short file is imported while the person waits. A long one (more than ``settings.IMPORT_SYNC_ROWS``
rows) is checked for file-level problems at once, then imported by the background worker as an
ImportJob: the page shows its progress (rows checked, rows saved, time left) and its outcome, and the
person is notified when it ends, so they may leave the page. The import itself is the same
``excel.run_import`` either way, so a long file is still all or nothing.

Live progress goes through the "progress" cache, not the database: the rows being saved are in one
open transaction, which other connections cannot see into (and on SQLite a second writer would wait
for it). The job row holds what lasts: status, counts, the problems and the error report.
"""

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_htmx.http import HttpResponseClientRedirect
from django_tasks import task

from . import clock
from .excel import (
    XLSX_TYPE,
    Importer,
    Outcome,
    RowError,
    error_report,
    read_sheet,
    read_upload,
    run_import,
    write_workbook,
    xlsx_response,
)
from .models import ImportJob, ImportStatus
from .notify import notify
from .scheduler import periodic

logger = logging.getLogger(__name__)

SHOWN_ERRORS = 300
# No progress for this long while running: the worker was probably stopped (nothing was imported then:
# the rows are saved in one transaction).
STALLED_AFTER = timedelta(minutes=10)
KEEP_JOBS = timedelta(days=7)  # error reports hold personal data: they do not stay around
REPORT_EVERY = 0.5  # seconds between progress writes


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX_TYPE}"}),
    )


def template_response(importer: Importer, filename: str) -> HttpResponse:
    """The blank template: the header row, one example row, and a help sheet."""
    help_headers = [_("Column"), _("Chinese title"), _("Required"), _("Notes")]
    content = write_workbook(importer.columns, importer.example_rows(), title=importer.sheet_title,
                             extra_sheets=[(_("Help"), help_headers, importer.help_rows(), [22, 16, 12, 60])])
    return xlsx_response(content, filename)


# Progress ---------------------------------------------------------------------------------------------


def _progress_key(job_pk: int) -> str:
    return f"lianxin:import:{job_pk}"


class Reporter:
    """Writes (phase, rows done, rows in all) to the progress cache, at most every REPORT_EVERY seconds
    and always at the end of a phase."""

    def __init__(self, job_pk: int):
        self.key, self.last, self.phase, self.phase_started = _progress_key(job_pk), 0.0, None, 0.0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self.phase:
            self.phase, self.phase_started = phase, now
        elif done < total and now - self.last < REPORT_EVERY:
            return
        self.last = now
        caches["progress"].set(self.key, {"phase": phase, "done": done, "total": total,
                                          "elapsed": now - self.phase_started, "at": time.time()}, 24 * 3600)


def progress_of(job: ImportJob) -> dict | None:
    """What the page shows of a running job: phase, counts, percent, seconds left (None when unknown)."""
    state = caches["progress"].get(_progress_key(job.pk))
    if not state:
        return None
    done, total = state["done"], max(state["total"], 1)
    left = None
    if done and state["elapsed"] >= 1:
        left = round(state["elapsed"] / done * (total - done))
    return {**state, "percent": int(100 * done / total), "left": left,
            "stalled": time.time() - state["at"] > STALLED_AFTER.total_seconds()}


# Running ---------------------------------------------------------------------------------------------


def _record(job: ImportJob, outcome: Outcome) -> None:
    listing = outcome.problems.listing()
    job.status = ImportStatus.DONE if outcome.ok else ImportStatus.FAILED
    job.created_count = len(outcome.created)
    job.bad_rows = len(outcome.problems.by_row)
    job.problem_count = len(listing)
    job.problems = [[e.row, e.column, e.message] for e in listing[:SHOWN_ERRORS]]
    job.report = None if outcome.ok else error_report(outcome.problems)


def _forget_reports(user, name: str) -> None:
    """A file imported cleanly: the earlier error reports of this import are done with (personal data)."""
    ImportJob.objects.filter(user=user, name=name, status=ImportStatus.FAILED).update(report=None)


def _dotted(importer: Importer) -> str:
    return f"{type(importer).__module__}.{type(importer).__qualname__}"


# A job whose worker died this many times is not tried again: its owner is told it stopped.
MAX_IMPORT_ATTEMPTS = 3


def _finish(job: ImportJob) -> None:
    """Save the job's outcome and tell its owner (inside the caller's transaction), in the language the owner
    uploaded in (the caller runs under ``job.language``): the owner is the one recipient."""
    job.data, job.finished_at = b"", clock.now()
    job.save()
    if job.status == ImportStatus.DONE:
        _forget_reports(job.user, job.name)
        title = ngettext("Import finished: %(n)d row imported.", "Import finished: %(n)d rows imported.",
                         job.created_count) % {"n": job.created_count}
    elif job.status == ImportStatus.FAILED:
        title = ngettext("Import checked: %(n)d row has problems, nothing was imported.",
                         "Import checked: %(n)d rows have problems, nothing was imported.",
                         job.bad_rows) % {"n": job.bad_rows}
    elif job.attempts >= MAX_IMPORT_ATTEMPTS:
        title = _("The import stopped: the background worker stopped during it %(n)d times; nothing was "
                  "imported.") % {"n": job.attempts - 1}
    else:
        title = _("The import stopped on an unexpected error; nothing was imported.")
    notify([job.user], kind="import", title=title, link=f"{job.page_url}?job={job.pk}", cause=f"import:{job.pk}")


# Someone is watching the progress bar: the worker takes imports before a backlog of notifications.
@task(priority=10)
def run_import_job(job_pk: int) -> str:
    """Import a queued file, all or nothing, and tell its owner. Safe to run again: the rows, the job's outcome
    and the owner's message are written in one transaction, so a worker killed during the import leaves
    nothing but a RUNNING job, which the task (run again by the next worker, core.worker) imports from the
    start; a finished job is not touched. After MAX_IMPORT_ATTEMPTS the job ends as an error and the owner is
    told."""
    job = ImportJob.objects.filter(pk=job_pk, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).first()
    if job is None:
        return "not queued"
    if not ImportJob.objects.filter(pk=job_pk, status=job.status, attempts=job.attempts).update(
            status=ImportStatus.RUNNING, started_at=clock.now(), attempts=job.attempts + 1):
        return "not queued"
    job = ImportJob.objects.select_related("user").get(pk=job_pk)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if job.attempts >= MAX_IMPORT_ATTEMPTS:
            logger.error("import job %s: its worker stopped %d times; giving up", job.pk, job.attempts - 1)
            job.status = ImportStatus.ERROR
            with transaction.atomic():
                _finish(job)
            return job.status
        try:
            with transaction.atomic():
                importer = import_string(job.importer)(job.user)
                _record(job, run_import(importer, bytes(job.data), progress=Reporter(job.pk)))
                _finish(job)
        except Exception:
            logger.exception("import job %s failed", job.pk)
            job.refresh_from_db()
            job.status = ImportStatus.ERROR
            with transaction.atomic():
                _finish(job)
    return job.status


@periodic(every=timedelta(hours=6))
@task()
def purge_import_jobs() -> int:
    """Forget finished imports after KEEP_JOBS, and never-run ones after twice that."""
    now = clock.now()
    done = ImportJob.objects.filter(finished_at__lt=now - KEEP_JOBS).delete()[0]
    stale = ImportJob.objects.filter(finished_at=None, created_at__lt=now - 2 * KEEP_JOBS).delete()[0]
    return done + stale


# The page -------------------------------------------------------------------------------------------


def _job_context(job: ImportJob | None) -> dict:
    if job is None:
        return {}
    return {"job": job, "progress": progress_of(job) if job.status == ImportStatus.RUNNING else None,
            "errors": [RowError(*e) for e in job.problems], "more_errors": job.problem_count - len(job.problems),
            "waiting": job.status == ImportStatus.QUEUED and clock.now() - job.created_at > timedelta(minutes=2)}


def import_page(request, importer: Importer, *, name: str, template: str, done_url: str,
                done_message: Callable[[int], str], context: dict | None = None) -> HttpResponse:
    """Upload, check, import all or nothing (in the background for long files); on problems, show them
    and keep the error report.

    ``GET ?job=N`` shows one of the person's imports (polled by htmx while it runs); ``GET ?report=1``
    downloads the error report of the person's last import here that had problems (``&job=N``: of that one).
    """
    jobs = ImportJob.objects.filter(user=request.user, name=name)
    job = None
    if request.GET.get("job"):
        try:
            job = jobs.get(pk=int(request.GET["job"]))
        except (ValueError, ImportJob.DoesNotExist) as e:
            raise Http404(_("There is no such import of yours.")) from e
    if request.method == "GET" and request.GET.get("report"):
        failed = job or jobs.filter(status=ImportStatus.FAILED).order_by("-pk").first()
        if failed is None or not failed.report:
            raise Http404(_("There is no error report to download."))
        return xlsx_response(bytes(failed.report), f"{name}-errors.xlsx")

    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = read_upload(form.cleaned_data["file"])
            sheet = read_sheet(data, importer.columns)
        except ValidationError as e:
            form.add_error("file", e)
        else:
            job = ImportJob(user=request.user, name=name, importer=_dotted(importer), page_url=request.path,
                            language=translation.get_language() or "", total=len(sheet.rows))
            if len(sheet.rows) > settings.IMPORT_SYNC_ROWS:
                job.data = data
                job.save()
                transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
                return redirect(f"{request.path}?job={job.pk}")
            outcome = run_import(importer, sheet)
            if outcome.ok:
                _forget_reports(request.user, name)
                messages.success(request, done_message(len(outcome.created)))
                return redirect(done_url)
            _record(job, outcome)
            job.finished_at = clock.now()
            job.save()
    elif job is not None and job.status == ImportStatus.DONE and request.htmx:
        # The page was watching the job: go where a short import goes when it succeeds.
        messages.success(request, done_message(job.created_count))
        return HttpResponseClientRedirect(done_url)

    ctx = {"form": form, "columns": importer.columns, "done_url": done_url, "sync_rows": settings.IMPORT_SYNC_ROWS,
           "done_text": done_message(job.created_count) if job and job.status == ImportStatus.DONE else "",
           **_job_context(job), **(context or {})}
    if request.htmx and job is not None:
        return render(request, "lianxin/import_job.html", ctx)
    return render(request, template, ctx)
