"""The learning library (金乡's "码"上家园, source J2): items (articles, PDF documents, audio and video links) in an
administrator-edited category tree, published by a level (city, county or an organisation) to an audience;
honest reading records; study assigned to an organisation's subtree and owed on the duty engine."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lianxin.core.trees import TreeNode
from lianxin.core.visibility import ScopedModel
from lianxin.duties.subjects import SubjectVia


class Category(TreeNode):
    """A category of the library (重要论述, 方针政策, 党史故事, …): configuration kept by administrators."""

    name = models.CharField(_("name"), max_length=60)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("learning category")
        verbose_name_plural = _("learning categories")
        ordering = ["path"]

    def __str__(self):
        return self.name

class Tag(models.Model):
    name = models.CharField(_("name"), max_length=30, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

class Kind(models.TextChoices):
    ARTICLE = "article", _("Article")
    DOCUMENT = "document", _("Document (PDF)")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")

class Level(models.TextChoices):
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    ORG = "org", _("Organisation")

class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")

class Item(ScopedModel):
    """One item of the library, anchored in the publishing level's area (and organisation for an org level).

    Its audience is an area's subtree, an organisation's subtree, or everyone (both empty). A published item
    whose ``publish_at`` has not come yet is scheduled: readers see it from that moment.
    """

    scope_area = "area__path"
    scope_org = "org__path"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Sanitised HTML."))
    body_chars = models.PositiveIntegerField(default=0, editable=False)  # characters of plain text
    document = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("PDF document"))
    media_url = models.URLField(_("audio or video link"), blank=True)
    media_minutes = models.PositiveSmallIntegerField(_("length in minutes"), null=True, blank=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items",
                                 verbose_name=_("category"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="items", verbose_name=_("tags"))
    source = models.CharField(_("source"), max_length=120, blank=True)
    level = models.CharField(_("publishing level"), max_length=10, choices=Level.choices)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("publishing organisation"))
    audience_area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("audience area"))
    audience_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("audience organisation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("published from"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Words of the title and the text, segmented by jieba and joined by spaces (search.py).
    search_title = models.TextField(blank=True, editable=False, default="")
    search_body = models.TextField(blank=True, editable=False, default="")

    class Meta:
        verbose_name = _("learning item")
        verbose_name_plural = _("learning items")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["status", "publish_at"])]

    def __str__(self):
        return self.title

    @property
    def name(self) -> str:
        return self.title

    @classmethod
    def involvement_q(cls, user, action):
        # Readers: published items whose audience holds the reader (the person's area or organisation).
        if action != "view":
            return None
        from lianxin.core import clock

        return live_q(clock.now()) & audience_q(user)

    def audience_label(self) -> str:
        if self.audience_org_id:
            return self.audience_org.name
        if self.audience_area_id:
            return self.audience_area.name
        return str(_("Everyone"))

def live_q(now) -> Q:
    return Q(status=Status.PUBLISHED, publish_at__lte=now)

def _ancestor_ids(path: str) -> list[int]:
    return [int(x) for x in path.strip("/").split("/") if x]

def reader_anchor(user):
    """(area, org) of a reader: the person's home and organisation, else the account's area."""
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is not None:
        return person.area, person.org
    return getattr(user, "area", None), None

def audience_q(user) -> Q:
    cached = getattr(user, "_learning_audience_q", None)
    if cached is not None:
        return cached
    area, org = reader_anchor(user)
    q = Q(audience_area__isnull=True, audience_org__isnull=True)
    if area is not None:
        q |= Q(audience_org__isnull=True, audience_area_id__in=_ancestor_ids(area.path))
    if org is not None:
        q |= Q(audience_org_id__in=_ancestor_ids(org.path))
    user._learning_audience_q = q
    return q

class ItemEvent(models.Model):
    """Append-only history of an item: created, edited, submitted, returned, published, withdrawn, reopened."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted for review")
        RETURNED = "returned", _("Returned to draft")
        PUBLISHED = "published", _("Published")
        SCHEDULED = "scheduled", _("Scheduled")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        REOPENED = "reopened", _("Back to draft")
        ASSIGNED = "assigned", _("Assigned for study")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.item_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

class Read(ScopedModel):
    """An effective read: one per person (account), item and local day. Anchored where the reader lives and
    in the reader's organisation (branch), so figures go by area and branch, never by person."""

    scope_area = "area__path"
    scope_org = "org__path"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_reads")
    day = models.DateField(_("day"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name=_("organisation"))
    seconds = models.PositiveIntegerField(_("seconds visible"))
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        verbose_name = _("effective read")
        verbose_name_plural = _("effective reads")
        ordering = ["-at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["item", "user", "day"], name="learning_read_once_a_day")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.item_id} {self.day:%Y-%m-%d}"

    @property
    def name(self) -> str:
        return f"{self.item} {self.day:%Y-%m-%d}"

class StudyAssignment(ScopedModel):
    """A level assigns an item to an organisation's subtree with a deadline: each party member in it owes
    the study (a one-off duty on the duty engine, StudyDuty)."""

    scope_area = "area__path"
    scope_org = "org__path"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="assignments",
                             verbose_name=_("item"))
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("organisation"))
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("study assignment")
        verbose_name_plural = _("study assignments")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.item} → {self.org}"

    @property
    def name(self) -> str:
        return str(self)

class StudyDuty(SubjectVia, ScopedModel):
    """A member's share of an assignment: the subject of the member's one-off study duty."""

    subject_via = "person"
    scope_area = "person__area__path"
    scope_org = "org__path"

    assignment = models.ForeignKey(StudyAssignment, on_delete=models.CASCADE, related_name="duties")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")  # the member's branch
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "person"], name="learning_study_once")]

    def __str__(self):
        return f"{self.assignment_id} {self.person_id}"
