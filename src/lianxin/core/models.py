import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .visibility import ScopedModel


class Notification(models.Model):
    """One message in one account's inbox; its channel deliveries are tracked in Delivery."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # What caused the message ("case.new:12"), when a background task sends it: a task run again after its
    # worker died finds the message there and does not send it twice (one per cause and recipient).
    cause = models.CharField(max_length=80, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["recipient", "cause"], condition=~Q(cause=""),
                                               name="notification_once_per_cause")]

    def __str__(self):
        return self.title


class FormSubmission(models.Model):
    """One account's create form, submitted once: its client key and what it created (core/resubmit.py).

    Personal like Notification: only ever read as the user's own rows. ``object_id`` is text so that any primary
    key fits (uploads have UUIDs)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    content_object = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="formsubmission_once")]

    def __str__(self):
        return f"{self.key} → {self.content_type_id}:{self.object_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_unique")]

    def __str__(self):
        return f"{self.channel}: {self.notification_id} ({self.status})"


class StoredFile(ScopedModel):
    """An upload after the pipeline: type checked by content, images re-encoded without metadata.

    The location found in a photo's EXIF is kept here (for the staff who need it), never in the file.
    """

    scope_area = "area__path"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    exif_lng = models.FloatField(null=True, blank=True)
    exif_lat = models.FloatField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name or str(self.pk)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @classmethod
    def involvement_q(cls, user, action):
        return Q(owner=user)


class PeriodicRun(models.Model):
    """When each periodic task last ran and is next due: shared by every worker process."""

    name = models.CharField(max_length=120, unique=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_enqueued_id = models.CharField(max_length=64, blank=True)

    def __str__(self):
        return self.name


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Problems found")
    ERROR = "error", _("Stopped on an error")


class ImportJob(models.Model):
    """One Excel import by one account (core.importing): the file until it has run, then its outcome.

    Personal: only its uploader reads it. Short files that import cleanly leave no job behind."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)  # which import page ("people", "firms", ...)
    importer = models.CharField(max_length=200)  # dotted path of the Importer class
    page_url = models.CharField(max_length=200)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [row, column title, message], the first ones
    data = models.BinaryField(default=b"", blank=True)  # the uploaded .xlsx, emptied once it has run
    report = models.BinaryField(null=True, blank=True)  # the error report
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)  # runs started (a worker killed mid-import: 2)

    class Meta:
        indexes = [models.Index(fields=["user", "name", "status"])]

    def __str__(self):
        return f"{self.name} #{self.pk} ({self.status})"

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ConfigStamp(models.Model):
    """One row counting configuration changes, so that every process knows when to reload its snapshots
    (core/configcache.py)."""

    n = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.n)


class WorkerBeat(models.Model):
    """A running ``lianxin worker`` (core.worker): it writes ``beat_at`` every few seconds. A task left RUNNING by
    a worker whose beat is older than the lease (or gone) is put back in the queue by the other workers."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)
    task_id = models.CharField(max_length=64, blank=True)  # the task it is running, if any
    tasks_done = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.hostname}:{self.pid} ({self.worker_id})"
