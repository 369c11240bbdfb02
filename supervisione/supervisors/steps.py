"""What coordinators have to do next about the supervisors of their registry (home page)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import Scope
from supervisione.lib.italian import counted
from supervisione.lib.steps import Step
from supervisione.supervisors.models import Document, DocumentKind, Supervisor, Training
from supervisione.territory.models import PartnershipMember

LISTED_SUPERVISORS = 3


def supervisors_steps(user: User, scope: Scope) -> list[Step]:
    """Steps for coordinators about the supervisors of their partnerships and member ATS."""
    managed = managed_q(scope)
    if managed is None:
        return []
    return _supervisor_steps(managed)


def managed_q(scope: Scope) -> Q | None:
    """Records of the partnerships a coordinator coordinates and of their member ATS; ``None`` for who
    coordinates none (contracts' steps use it too)."""
    coordinated = scope.coordinated_partnership_ids
    if not coordinated:
        return None
    ambiti = PartnershipMember.objects.in_force().filter(partnership_id__in=coordinated).values("ambito_id")
    return Q(partnership_id__in=coordinated) | Q(ambito_id__in=ambiti)


def _supervisor_steps(managed: Q) -> list[Step]:
    """Active supervisors without a training certificate: without training at all they are not eligible."""
    missing = list(
        Supervisor.objects.filter(managed, active=True)
        .exclude(Exists(Document.objects.filter(supervisor=OuterRef("pk"), kind=DocumentKind.TRAINING)))
        .annotate(has_training=Exists(Training.objects.filter(supervisor=OuterRef("pk"))))
        .order_by("surname", "name", "pk")
    )
    if not missing:
        return []
    if len(missing) > LISTED_SUPERVISORS:
        return [
            Step(
                f"{counted(len(missing), 'supervisore', 'supervisori')} senza attestati di formazione caricati",
                "Carica gli attestati della formazione alla supervisione: documentano l'idoneità del registro.",
                reverse("supervisors:supervisor_list"),
            )
        ]
    steps = []
    for supervisor in missing:
        if supervisor.has_training:
            title = f"{supervisor}: nessun attestato di formazione caricato"
            detail = "Carica l'attestato della formazione alla supervisione indicata nella scheda."
        else:
            title = f"{supervisor}: nessuna formazione alla supervisione"
            detail = "Senza formazione come supervisore non è idoneo per alcun tipo: registra corso e attestato."
        steps.append(Step(title, detail, supervisor.get_absolute_url()))
    return steps
