"""Scheda LEPS 2.7.2, "Tipologie di supervisione": the three types of supervision, and the professions.

====  ==========================================  ==============================================
A1    group, mono-professional (social workers)   16 h per group per year; a group is at most 15 AS
A2    individual (one social worker)              a pool of 15 h per A1 group per year, used when
                                                  needed; unused hours may be moved to A1 or A3
A3    organisational, of the équipe               6 h per équipe per year
====  ==========================================  ==============================================

Groups of other professions ("extra-LEPS") may be supervised in addition and never count toward the minimum.
A1 and A2 are for social workers (assistenti sociali, the Albo's sections A and B).
"""

from __future__ import annotations

from enum import StrEnum


class SupervisionType(StrEnum):
    A1 = "A1"
    A2 = "A2"
    A3 = "A3"
    EXTRA = "extra"

    @property
    def label(self) -> str:
        return {
            SupervisionType.A1: "A1 - supervisione di gruppo monoprofessionale",
            SupervisionType.A2: "A2 - supervisione individuale",
            SupervisionType.A3: "A3 - supervisione organizzativa dell'équipe",
            SupervisionType.EXTRA: "Extra-LEPS - supervisione aggiuntiva",
        }[self]

    @property
    def counts_for_leps(self) -> bool:
        return self is not SupervisionType.EXTRA


class Profession(StrEnum):
    ASSISTENTE_SOCIALE = "assistente_sociale"
    ASSISTENTE_SOCIALE_SPECIALISTA = "assistente_sociale_specialista"
    EDUCATORE = "educatore_professionale"
    PSICOLOGO = "psicologo"
    SOCIOLOGO = "sociologo"
    OSS = "oss"
    MEDIATORE = "mediatore"
    AMMINISTRATIVO = "amministrativo"
    ALTRO = "altro"

    @property
    def is_social_worker(self) -> bool:
        return self in (Profession.ASSISTENTE_SOCIALE, Profession.ASSISTENTE_SOCIALE_SPECIALISTA)
