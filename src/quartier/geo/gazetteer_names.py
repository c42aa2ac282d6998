"""Place-name normalisation for matching Swiss and German locality names.

The postcode list and the coordinate source spell the same place differently
("St. Gallen" / "Sankt Gallen", "Halle (Saale)" / "Halle", "Renens VD" / "Renens",
"Oettingen i.Bay." / "Oettingen in Bayern"). Two keys are derived from a name:

* ``exact_key``: spelling-insensitive but complete (case, accents, umlauts, punctuation,
  "St."/"Sankt"/"Saint", common abbreviations).
* ``base_key``: the bare place name with qualifiers dropped (parentheses, "/..." and
  ",..." tails, "am Main"-style suffixes, canton codes, "Kreis 1", PO-box numbers).

Pure Python, no Django imports.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# German transliteration first, so "München", "Muenchen" and "Munchen" share one key
# (the digraphs are folded too, see _fold).
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "æ": "ae", "œ": "oe"})
_DIGRAPHS = re.compile(r"(?<=[a-z])(ae|oe|ue)")

# Token-level synonyms: one canonical spelling per group.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "st": ("st", "sankt", "saint", "skt"),
    "ste": ("ste", "sainte"),
    "sta": ("sta", "santa"),
    "in": ("i",),
    "bei": ("b",),
    "bayern": ("bay",),
    "oberfranken": ("ofr",),
    "oberpfalz": ("opf",),
    "mittelfranken": ("mfr",),
    "unterfranken": ("ufr",),
    "westfalen": ("westf",),
    "oldenburg": ("oldb",),
    "holstein": ("holst",),
    "vogtland": ("vogtl",),
    "breisgau": ("br", "brsg"),
}
_CANONICAL = {alias: canon for canon, aliases in _SYNONYMS.items() for alias in aliases}

# Dotted abbreviations spanning two letters, expanded before tokenising.
_ABBREVIATIONS = (
    (re.compile(r"\ba\.\s*m(?:ain)?\b\.?"), " am main "),  # Frankfurt a. M.
    (re.compile(r"\ba\.\s*d\."), " an der "),  # Saal a.d.Donau
    (re.compile(r"\bi\.\s*d\."), " in der "),  # Neumarkt i.d.OPf.
    (re.compile(r"\bv\.\s*d\."), " vor der "),  # Bad Homburg v.d.Höhe
)

# Words that start a qualifier: "Frankfurt am Main", "Rüti b. Büren", "Zürich Kreis 1",
# "Villars-sur-Glâne". Never applied to the first word ("Am Ettersberg").
_QUALIFIERS = frozenset(
    {"am", "an", "a", "im", "in", "i", "bei", "b", "ob", "auf", "vor", "unter", "uber", "kreis"}
    | {"sur", "sous", "pres"}  # French: "Villars-sur-Glâne", "Le Mont-sur-Lausanne"
)

# Swiss localities are disambiguated with the canton code: "Renens VD", "Wohlen AG".
CANTON_CODES = frozenset(
    {"ag", "ai", "ar", "be", "bl", "bs", "fr", "ge", "gl", "gr", "ju", "lu", "ne"}
    | {"nw", "ow", "sg", "sh", "so", "sz", "tg", "ti", "ur", "vd", "vs", "zg", "zh"}
)

_TOKEN = re.compile(r"[a-z0-9]+")


def _fold(name: str) -> str:
    """Lower-case, umlauts and accents stripped, German digraphs folded."""
    text = name.lower().translate(_UMLAUTS)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for pattern, replacement in _ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    return _DIGRAPHS.sub(lambda m: m.group(1)[0], text)


def _tokens(text: str) -> list[str]:
    words: list[str] = []
    for token in _TOKEN.findall(text):
        words.extend(_CANONICAL.get(token, token).split())
    return words


@lru_cache(maxsize=1 << 16)  # the same names are compared many times
def exact_key(name: str) -> str:
    """Spelling-insensitive key that keeps every word of the name."""
    return " ".join(_tokens(_fold(name)))


@lru_cache(maxsize=1 << 16)
def base_key(name: str) -> str:
    """The bare place name: "Halle (Saale)", "Frankfurt a. M." -> "halle", "frankfurt"."""
    text = re.split(r"[(/,]", _fold(name), maxsplit=1)[0]
    words = _tokens(text)
    for index, word in enumerate(words[1:], start=1):
        if word in _QUALIFIERS:
            del words[index:]
            break
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in CANTON_CODES):
        words.pop()
    return " ".join(words)


def names_match(locality: str, place: str) -> bool:
    """Fuzzy match: equal bare names, or one name is a whole-word prefix of the other.

    Only used between names that already share a postcode (or lie close together),
    so "Berlin" ~ "Berlin Friedrichshain" and "Crans VS" ~ "Crans-Montana" are safe.
    """
    a, b = base_key(locality), base_key(place)
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short == long_ or long_.startswith(short + " ")
