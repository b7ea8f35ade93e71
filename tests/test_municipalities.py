import pycountry
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.municipalities import (
    Municipality,
    collation_key,
    iso_codes,
    load_municipalities,
    official_names,
)


def test_lithuanian_list_matches_iso_3166_2():
    names = official_names("LT")
    assert len(names) == 60
    assert set(names) == iso_codes("LT")
    assert set(names) == {f"LT-{n:02d}" for n in range(1, 61)}
    assert names["LT-57"] == "Vilniaus miesto savivaldybė"
    assert names["LT-58"] == "Vilniaus rajono savivaldybė"
    assert names["LT-05"] == "Birštono savivaldybė"
    assert all(name.endswith("savivaldybė") for name in names.values())
    assert len(set(names.values())) == 60


def test_iso_codes_exclude_counties_and_know_latvia():
    assert "LT-VL" not in iso_codes("LT")
    assert len(iso_codes("LV")) == len(pycountry.subdivisions.get(country_code="LV")) == 43


def test_load_is_idempotent(app_ctx):
    assert load_municipalities("LT") == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(Municipality)) == 60


def test_lithuanian_alphabetical_order():
    names = ["Šakių", "Skuodo", "Zarasų", "Žagarės", "Akmenės"]
    assert sorted(names, key=collation_key) == ["Akmenės", "Skuodo", "Šakių", "Zarasų", "Žagarės"]
