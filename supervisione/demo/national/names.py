"""Fictional Italian people for the national data set: names, birth dates and valid codici fiscali.

The codice fiscale is computed from surname, name, birth date, sex and the cadastral code of a real
municipality of birth (from the national list), with its check character: it passes the same validation as
a real one. The same generator and seed always give the same people; a code already given is never reused.
"""

from __future__ import annotations

import datetime
import random
import unicodedata
from dataclasses import dataclass

from supervisione.demo.census import demo_tax_code

SURNAMES = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
    "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti",
    "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone",
    "Longo", "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo",
    "Marchetti", "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso",
    "Valentini", "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo", "Sanna", "Farina", "Rizzi",
    "Monti", "Cattaneo", "Morelli", "Amato", "Silvestri", "Mazza", "Testa", "Grassi", "Pellegrino", "Carbone",
    "Giuliani", "Benedetti", "Barone", "Rossetti", "Caputo", "Montanari", "Guerra", "Palmieri", "Bernardi",
    "Martino", "Fiore", "De Rosa", "Ferretti", "Bellini", "Basile", "Riva", "Donati", "Piras", "Vitali",
    "Battaglia", "Sartori", "Neri", "Costantini", "Milani", "Pagano", "Ruggiero", "Sorrentino", "D'Amico",
    "Orlando", "Negri", "Quarta", "Melis", "Deiana", "Zanetti", "Fabbro", "Cappelli", "Tedesco",
    "Pace", "Cirillo", "Mele", "Porcu", "Bassi", "Zanella", "Marras", "Fumagalli", "Colonna", "Lupo",
)  # fmt: skip
FEMALE_NAMES = (
    "Anna", "Maria", "Francesca", "Giulia", "Valentina", "Sara", "Chiara", "Elisa", "Federica", "Ilaria",
    "Laura", "Marta", "Paola", "Roberta", "Serena", "Silvia", "Alessandra", "Daniela", "Emanuela", "Rosanna",
    "Antonella", "Barbara", "Caterina", "Cristina", "Elena", "Eleonora", "Fabiana", "Giovanna", "Irene",
    "Lucia", "Manuela", "Martina", "Monica", "Nadia", "Patrizia", "Rita", "Simona", "Stefania", "Teresa",
    "Veronica", "Alessia", "Angela", "Beatrice", "Claudia", "Debora", "Erica", "Gabriella", "Lorena",
    "Michela", "Noemi", "Ornella", "Raffaella", "Sabrina", "Tiziana", "Viviana",
)  # fmt: skip
MALE_NAMES = (
    "Marco", "Luca", "Andrea", "Antonio", "Giuseppe", "Davide", "Stefano", "Fabio", "Simone", "Vito",
    "Alessandro", "Francesco", "Giovanni", "Matteo", "Roberto", "Paolo", "Massimo", "Salvatore", "Michele",
    "Vincenzo", "Claudio", "Enrico", "Filippo", "Giorgio", "Lorenzo", "Nicola", "Pietro", "Riccardo",
    "Sergio", "Tommaso",
)  # fmt: skip


@dataclass(frozen=True)
class Identity:
    surname: str
    name: str
    female: bool
    born: datetime.date
    tax_code: str


def slug(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if "a" <= c <= "z")


class People:
    """Draws fictional identities; ``places`` are cadastral codes of municipalities (birthplaces)."""

    def __init__(self, places: list[str]) -> None:
        self.places = places
        self.used: set[str] = set()

    def identity(
        self, rng: random.Random, *, female: bool, born_between: tuple[int, int], local: list[str] | None = None
    ) -> Identity:
        surname = rng.choice(SURNAMES)
        name = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        while True:
            born = datetime.date(rng.randint(*born_between), rng.randint(1, 12), rng.randint(1, 28))
            pool = local if local and rng.random() < 0.7 else self.places
            code = demo_tax_code(surname, name, born, female=female, place=rng.choice(pool))
            if code not in self.used:
                self.used.add(code)
                return Identity(surname, name, female, born, code)
