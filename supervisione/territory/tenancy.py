"""What belongs to a tenant: exactly one partnership or one ATS.

Supervisors, contracts and plans are owned this way (``TenantOwned``, each concrete model adding the check
constraint ``ONE_TENANT``); scopes, access checks and the audit log's tenant keys read the two fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from supervisione.audit.models import TenantKeys

if TYPE_CHECKING:
    from supervisione.territory.models import Ambito, Partnership

ONE_TENANT = Q(partnership__isnull=False, ambito__isnull=True) | Q(partnership__isnull=True, ambito__isnull=False)


class TenantOwned(models.Model):
    """Belongs to exactly one partnership or one ATS (the check constraint is on each concrete model)."""

    partnership = models.ForeignKey(
        "territory.Partnership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partenariato"),
    )
    ambito = models.ForeignKey(
        "territory.Ambito", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ATS")
    )

    class Meta:
        abstract = True

    @property
    def tenant(self) -> Partnership | Ambito:
        tenant = self.partnership or self.ambito
        assert tenant is not None  # noqa: S101  (the database constraint guarantees one of them)
        return tenant

    def same_tenant(self) -> Q:
        """Objects of the same partnership or ATS as this one."""
        return Q(partnership_id=self.partnership_id, ambito_id=self.ambito_id)

    @property
    def tenant_keys(self) -> TenantKeys:
        """The audit log's tenant keys, for child objects that have no tenant field of their own."""
        return {"partnership_id": self.partnership_id, "ambito_id": self.ambito_id}
