"""The columns of the ledger import's layout, the other names a file may give them, and the words of each stage."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from supervisione.funding.models import Stage

SHEET = "Atti"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column(
        "ambito",
        "Codice ATS",
        required=True,
        help="Il codice ministeriale dell'ATS, ad esempio PUG_CASARANO.",
        aliases=("ats",),
    ),
    Column(
        "stage",
        "Fase",
        required=True,
        help="impegno, liquidazione o mandato.",
        aliases=("tipo", "tipo atto", "fase contabile"),
    ),
    Column(
        "act",
        "Numero atto",
        required=True,
        help="Il numero della determina di impegno, dell'atto di liquidazione o del mandato (con l'anno se la "
        "numerazione riparte ogni anno, ad esempio 45/2025).",
        aliases=("numero", "n. atto", "numero documento"),
    ),
    Column("date", "Data", required=True, help="La data dell'atto, gg/mm/aaaa.", aliases=("data atto",)),
    Column(
        "amount",
        "Importo",
        required=True,
        help="In euro, ad esempio 1.234,56.",
        aliases=("importo euro", "importo (eur)"),
    ),
    Column(
        "cig",
        "CIG",
        required=False,
        help="Il CIG del contratto. Per un impegno: vuoto solo se l'ATS ha un unico contratto senza CIG (ad esempio "
        "una co-progettazione). Per liquidazioni e mandati, se indicato, deve essere quello dell'impegno.",
        aliases=("cig contratto",),
    ),
    Column(
        "year",
        "Annualità FNPS",
        required=False,
        help="Per un impegno: un anno coperto dallo stanziamento FNPS che impegna (2023 o 2024 per uno "
        "stanziamento 2023-2024). Per liquidazioni e mandati si ricava dall'impegno.",
        aliases=("annualita", "anno fnps", "anno"),
    ),
    Column(
        "parent",
        "Atto di riferimento",
        required=False,
        help="Per una liquidazione il numero dell'impegno che liquida; per un mandato il numero della liquidazione "
        "che paga. Vuoto per un impegno.",
        aliases=("riferimento", "atto riferimento", "atto collegato"),
    ),
    Column("note", "Note", required=False, help="Facoltative.", aliases=("descrizione", "causale")),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
STAGE_WORDS = {
    Stage.COMMITTED: ("impegno", "impegnato", "determina di impegno", "impegno di spesa"),
    Stage.LIQUIDATED: ("liquidazione", "liquidato", "atto di liquidazione"),
    Stage.PAID: ("mandato", "pagato", "pagamento", "mandato di pagamento"),
}


def compact(text: str) -> str:
    """Lower case, without accents, spaces or punctuation: ``"Annualità FNPS"`` -> ``"annualitafnps"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


HEADER_KEYS = {compact(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)}
STAGE_KEYS = {compact(word): stage for stage, words in STAGE_WORDS.items() for word in words}
