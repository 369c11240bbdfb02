"""Django choices for the enums of ``kinds`` (``Profession``, ``SupervisionType``), so that every app stores the
same values.

The one module of this package that imports Django, and only its enum types and lazy translation: model fields
of census, supervisors, planning and sessions use these choices (and their ``values``, ``labels`` and
``get_<field>_display``), so they must be Django's ``TextChoices``; they sit here, beside the enums whose values
they copy, so that no app imports another for them. No model, setting or database is touched at import.

A model field with these choices converts to the enum with ``Profession(value)``. The labels are the Italian
words shown to users. A test checks that both lists match the enums exactly.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from supervisione.leps.kinds import Profession, SupervisionType


class ProfessionChoices(models.TextChoices):
    ASSISTENTE_SOCIALE = Profession.ASSISTENTE_SOCIALE.value, _("Assistente sociale")
    ASSISTENTE_SOCIALE_SPECIALISTA = (
        Profession.ASSISTENTE_SOCIALE_SPECIALISTA.value,
        _("Assistente sociale specialista"),
    )
    EDUCATORE = Profession.EDUCATORE.value, _("Educatore professionale")
    PSICOLOGO = Profession.PSICOLOGO.value, _("Psicologo")
    SOCIOLOGO = Profession.SOCIOLOGO.value, _("Sociologo")
    OSS = Profession.OSS.value, _("Operatore socio-sanitario (OSS)")
    MEDIATORE = Profession.MEDIATORE.value, _("Mediatore")
    AMMINISTRATIVO = Profession.AMMINISTRATIVO.value, _("Amministrativo")
    ALTRO = Profession.ALTRO.value, _("Altro")


SOCIAL_WORKER_PROFESSIONS = tuple(p.value for p in Profession if p.is_social_worker)


class SupervisionTypeChoices(models.TextChoices):
    A1 = SupervisionType.A1.value, _("A1 - gruppo monoprofessionale")
    A2 = SupervisionType.A2.value, _("A2 - individuale")
    A3 = SupervisionType.A3.value, _("A3 - organizzativa dell'équipe")
    EXTRA = SupervisionType.EXTRA.value, _("Extra-LEPS")
