"""The columns of the census layout (Allegato 2), and the other names a file may give them."""

from __future__ import annotations

from dataclasses import dataclass

from supervisione.census import vocabulary


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = True  # the column must be in the file (its cells may still be optional)


COLUMNS: tuple[Column, ...] = (
    Column("surname", "Cognome"),
    Column("name", "Nome"),
    Column("tax_code", "Codice fiscale", ("CF", "C.F.", "cod. fiscale")),
    Column("profession", "Profilo professionale", ("profilo", "qualifica", "profilo prof.")),
    Column("albo_region", "Albo regione", ("regione albo", "albo - regione")),
    Column("albo_section", "Albo sezione", ("sezione albo", "albo - sezione")),
    Column("albo_number", "Albo numero", ("numero albo", "albo - numero", "n. albo", "numero iscrizione albo")),
    Column("employer", "Ente datore di lavoro", ("datore di lavoro", "ente datore", "ente")),
    Column("service", "Servizio"),
    Column("contract", "Tipo contratto", ("contratto", "tipo di contratto")),
    Column("weekly_hours", "Ore settimanali", ("ore", "ore/settimana", "ore sett.")),
    Column("start_date", "Data inizio", ("inizio", "data di inizio")),
    Column("end_date", "Data fine", ("fine", "data di fine")),
    Column("funding", "Finanziamento posto", ("finanziamento", "finanziamento del posto")),
    Column("municipalities", "Comuni di servizio", ("comuni", "comuni serviti")),
    Column("email", "E-mail", ("email", "mail", "posta elettronica", "indirizzo e-mail")),
    # Not in the Allegato 2 layout: the name of the équipe, for positions in an équipe multidisciplinare.
    Column("equipe", "Équipe", ("nome equipe", "nome dell'équipe"), required=False),
    # Not in the Allegato 2 layout: "sì" for a social worker another body (an ASL...) employs to work for the ATS,
    # who then counts for c.797. Without the column an import leaves what the positions say alone.
    Column(
        "on_behalf",
        "Per conto dell'ATS",
        ("in servizio per conto dell'ATS", "in servizio per l'ATS", "per l'ATS", "per conto ATS"),
        required=False,
    ),
)
HEADERS = [column.header for column in COLUMNS if column.required]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}


def _header_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS:
        for text in (column.header, *column.aliases):
            table[vocabulary.compact(text)] = column.key
    return table


HEADER_KEYS = _header_table()
