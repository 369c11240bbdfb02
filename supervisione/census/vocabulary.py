"""Tolerant reading of the words people write in a census spreadsheet.

Case, accents, dots, dashes and extra spaces are ignored, and the usual abbreviations are understood
(``AS``, ``T.I.``, ``T.D.``, ``PUA``, ``OSS``...). Each reader returns the code used in the models, or
``None`` when the text means nothing known; the caller turns that into an Italian message listing the
accepted values.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from supervisione.census.models import AlboSection, Contract, PostFunding, Profession, Service

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """``"  Équipe  Multi-disciplinare "`` -> ``"equipe multi disciplinare"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_ALNUM.sub(" ", without_accents.lower()).strip()


@lru_cache(maxsize=8192)
def compact(text: str) -> str:
    """Normalised and without spaces: ``"T. I."`` and ``"t.i."`` both become ``"ti"``."""
    return normalise(text).replace(" ", "")


def _table(entries: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every way of writing each code; each code's own label is always one (what the exports write), so that an
    exported file is read back as it was."""
    table: dict[str, str] = {}
    for code, words in entries.items():
        label = getattr(code, "label", None)
        for word in (*words, *([str(label)] if label is not None else [])):
            table[compact(word)] = code
    return table


PROFESSIONS = _table(
    {
        Profession.SOCIAL_WORKER: (
            "assistente sociale",
            "assistenti sociali",
            "AS",
            "A.S.",
            "ass. sociale",
            "ass sociale",
            "ass. soc.",
            "assistente sociale sezione B",
        ),
        Profession.SPECIALIST_SOCIAL_WORKER: (
            "assistente sociale specialista",
            "AS specialista",
            "A.S. specialista",
            "ass. sociale specialista",
            "ass. soc. specialista",
            "ASS",
            "assistente sociale sezione A",
        ),
        Profession.EDUCATOR: (
            "educatore professionale",
            "educatrice professionale",
            "educatore",
            "educatrice",
            "ed. prof.",
            "educatore socio pedagogico",
            "educatore professionale socio pedagogico",
            "educatore professionale socio sanitario",
        ),
        Profession.PSYCHOLOGIST: ("psicologo", "psicologa", "psicologo psicoterapeuta", "psicologa psicoterapeuta"),
        Profession.SOCIOLOGIST: ("sociologo", "sociologa"),
        Profession.OSS: ("OSS", "O.S.S.", "operatore socio sanitario", "operatrice socio sanitaria"),
        Profession.MEDIATOR: (
            "mediatore",
            "mediatrice",
            "mediatore culturale",
            "mediatrice culturale",
            "mediatore interculturale",
            "mediatrice interculturale",
            "mediatore linguistico culturale",
            "mediatore familiare",
        ),
        Profession.ADMINISTRATIVE: (
            "amministrativo",
            "amministrativa",
            "amm.vo",
            "impiegato amministrativo",
            "impiegata amministrativa",
            "istruttore amministrativo",
            "istruttrice amministrativa",
            "personale amministrativo",
        ),
        Profession.OTHER: ("altro", "altra figura", "altro profilo"),
    }
)

SERVICES = _table(
    {
        Service.SSP: (
            "servizio sociale professionale",
            "SSP",
            "servizio sociale",
            "s.s.p.",
            "servizi sociali",
            "servizio sociale di base",
            "servizio sociale comunale",
            "servizio sociale territoriale",
            "servizio sociale professionale comunale",
            "servizi specialistici",
            "servizio specialistico",
            "area minori",
            "tutela minori",
            "servizio tutela minori",
            "area adulti",
            "area anziani",
            "area disabili",
            "area disabilità",
            "area famiglia e minori",
        ),
        Service.SEGRETARIATO: (
            "segretariato sociale / PUA",
            "segretariato sociale",
            "segretariato",
            "PUA",
            "porta unica di accesso",
            "segretariato sociale PUA",
            "segretariato sociale professionale",
            "punto unico di accesso",
            "sportello",
            "sportelli",
            "sportello sociale",
            "sportelli sociali",
            "sportello di cittadinanza",
            "sportello di segretariato sociale",
            "accoglienza",
        ),
        Service.EQUIPE: (
            "équipe multidisciplinare",
            "equipe",
            "équipe",
            "equipe multiprofessionale",
            "equipe multidisciplinare",
            "equipe integrata",
            "équipe multiprofessionale",
            "equipe integrata socio sanitaria",
            "equipe territoriale",
            "equipe multidisciplinare ADI",
            "equipe assegno di inclusione",
            "equipe povertà",
        ),
        Service.UVM: (
            "UVM",
            "unità di valutazione multidimensionale",
            "U.V.M.",
            "UVMD",
            "U.V.M.D.",
            "unità di valutazione multidimensionale distrettuale",
            "unità valutativa",
        ),
        Service.PIS: (
            "pronto intervento sociale",
            "PIS",
            "P.I.S.",
            "pronto intervento",
            "SEUS",
            "servizio emergenza urgenza sociale",
            "emergenza urgenza sociale",
        ),
        Service.OTHER: ("altro", "altro servizio"),
    }
)

CONTRACTS = _table(
    {
        Contract.PERMANENT: ("tempo indeterminato", "T.I.", "TI", "indeterminato", "a tempo indeterminato", "di ruolo"),
        Contract.FIXED_TERM: ("tempo determinato", "T.D.", "TD", "determinato", "a tempo determinato"),
        Contract.AGENCY: ("somministrazione", "somministrato", "somministrata", "interinale", "lavoro interinale"),
        Contract.FREELANCE: (
            "libero-professionale",
            "libero professionale",
            "libera professione",
            "LP",
            "L.P.",
            "partita IVA",
            "P.IVA",
            "incarico professionale",
            "incarico libero professionale",
        ),
        Contract.CONTRACTOR: (
            "dipendente di ente gestore/cooperativa",
            "dipendente di ente gestore",
            "dipendente di cooperativa",
            "dipendente cooperativa",
            "ente gestore",
            "cooperativa",
            "coop",
            "esterno",
            "appalto",
        ),
    }
)

FUNDINGS = _table(
    {
        PostFunding.MUNICIPAL: ("bilancio comunale", "comunale", "comune", "fondi comunali", "risorse comunali"),
        PostFunding.FNPS: ("FNPS", "fondo nazionale politiche sociali"),
        PostFunding.POVERTY: (
            "Fondo Povertà / quota servizi",
            "fondo povertà",
            "fondo poverta quota servizi",
            "quota servizi",
            "quota servizi fondo povertà",
            "QSFP",
            "FP",
        ),
        PostFunding.PON_PNRR: ("PON / PNRR", "PON", "PNRR", "PON inclusione", "PON PNRR", "PNRR PON"),
        PostFunding.OTHER: ("altro", "altri fondi"),
    }
)

SECTIONS = _table(
    {
        AlboSection.A: ("A", "sez. A", "sezione A", "sez A"),
        AlboSection.B: ("B", "sez. B", "sezione B", "sez B"),
    }
)


def read_profession(text: str) -> str | None:
    return PROFESSIONS.get(compact(text))


def read_service(text: str) -> str | None:
    return SERVICES.get(compact(text))


def read_contract(text: str) -> str | None:
    return CONTRACTS.get(compact(text))


def read_funding(text: str) -> str | None:
    return FUNDINGS.get(compact(text))


def read_section(text: str) -> str | None:
    return SECTIONS.get(compact(text))


YES = frozenset(compact(word) for word in ("sì", "s", "x", "vero", "yes", "1"))
NO = frozenset(compact(word) for word in ("no", "n", "falso", "0", "-"))


def read_yes_no(text: str) -> bool | None:
    """``"Sì"``, ``"si"``, ``"x"`` -> True; ``"No"`` or an empty cell -> False; anything else -> None."""
    word = compact(text)
    if word in YES:
        return True
    if word in NO or not word:
        return False
    return None


def labels(choices: type[Profession | Service | Contract | PostFunding | AlboSection]) -> str:
    """The accepted values as a list for a message: «Assistente sociale», «Educatore professionale»..."""
    return ", ".join(f"«{label}»" for label in choices.labels)
