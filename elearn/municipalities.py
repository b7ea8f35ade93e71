"""Municipalities: the units supervisors answer for, keyed by ISO 3166-2 code."""

from __future__ import annotations

import csv
import unicodedata
from functools import lru_cache
from pathlib import Path

import pycountry
from flask import current_app
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from elearn.extensions import db

DATA_DIR = Path(__file__).parent / "data" / "municipalities"

# Codes pycountry still lists that name no local government any more, and why; our
# lists leave them out (see data/municipalities/README.md).
RETIRED_CODES = {
    "LV-102": "Varakļānu novads merged into Madonas novads (LV-059) with the 2025 local "
              "elections (Saeima decision of 2024-06-13)",
}


class Municipality(db.Model):
    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # "LT-57"
    country: Mapped[str] = mapped_column(String(2), index=True)
    name: Mapped[str] = mapped_column(String(120))  # official name, in the country's language

    def __repr__(self) -> str:
        return f"<Municipality {self.code} {self.name}>"


@lru_cache(maxsize=4096)
def collation_key(text: str) -> tuple:
    """Sort key that puts Š after S and Ž after Z, as Lithuanian and Latvian do (kept for
    the names sorted on every dashboard: municipalities, workplaces)."""
    key = []
    for char in text.lower():
        base = unicodedata.normalize("NFD", char)[0]
        key.append((base, char != base))
    return tuple(key)


def municipality_choices() -> list[tuple[str, str]]:
    """(code, name) of the configured country's municipalities, in alphabetical order."""
    country = current_app.config["COUNTRY"]
    rows = db.session.execute(
        select(Municipality.code, Municipality.name).where(Municipality.country == country)
    ).all()
    return sorted(((code, name) for code, name in rows), key=lambda row: collation_key(row[1]))


def official_names(country: str) -> dict[str, str]:
    """The project's list of official names for a country, by ISO 3166-2 code."""
    path = DATA_DIR / f"{country.upper()}.csv"
    if not path.exists():
        raise LookupError(f"no municipality list for {country} (expected {path})")
    with path.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


def iso_codes(country: str) -> set[str]:
    """ISO 3166-2 codes of the country's municipalities (pycountry; counties excluded)."""
    subdivisions = pycountry.subdivisions.get(country_code=country.upper()) or []
    return {s.code for s in subdivisions if s.type != "County"}


def current_iso_codes(country: str) -> set[str]:
    """iso_codes() without the codes of local governments that no longer exist."""
    return iso_codes(country) - set(RETIRED_CODES)


def load_municipalities(country: str) -> tuple[int, int]:
    """Insert or rename the country's municipalities; returns (added, updated)."""
    names = official_names(country)
    existing = {
        m.code: m
        for m in db.session.scalars(select(Municipality).where(Municipality.country == country))
    }
    added = updated = 0
    for code, name in names.items():
        municipality = existing.get(code)
        if municipality is None:
            db.session.add(Municipality(code=code, country=country, name=name))
            added += 1
        elif municipality.name != name:
            municipality.name = name
            updated += 1
    db.session.commit()
    return added, updated
