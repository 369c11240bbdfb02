from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from supervisione.audit.models import AuditEntry


def history_for(instance: models.Model, limit: int = 50) -> QuerySet[AuditEntry]:
    """The latest entries about one object, newest first (one query)."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return AuditEntry.objects.filter(content_type=content_type, object_id=str(instance.pk)).select_related("user")[
        :limit
    ]
