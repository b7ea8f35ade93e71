"""Demo supervision data for `flask demo`: more staff, assignments and a referral directory.

Everything here is a clearly fictional placeholder: invented people who cannot sign
in (no password, no invitation sent), and directory entries marked "(pavyzdys)"
("(piemērs)" in Latvia) with no phone numbers or addresses, so nobody mistakes them
for real contacts.
Running it again adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import click
from flask import current_app
from sqlalchemy import exists, select

from elearn.assignments import services as assignments
from elearn.assignments.models import Assignment
from elearn.auth import services as accounts
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from elearn.i18n import local_language, today
from elearn.publishing.courses import live_courses


@dataclass(frozen=True)
class DemoTeam:
    code: str  # the demo supervisor's municipality
    # (email, name, workplace, profession): invited colleagues of the demo supervisor.
    staff: tuple[tuple[str, str, str, str], ...]
    workplaces: tuple[str, str]  # (the social service, the school): assignment targets
    # (role, organisation in the country's language, in English)
    contacts: tuple[tuple[str, str, str], ...]
    note: dict[str, str]


_VILNIUS = ("Vilniaus miesto socialinės paramos centras", "Vilniaus m. mokykla",
            "Vilniaus m. poliklinika")
_RIGA = ("Rīgas pilsētas sociālais dienests", "Rīgas pilsētas skola", "Rīgas poliklīnika")

TEAMS = {
    "LT": DemoTeam(
        code="LT-57",
        staff=(
            ("ruta@demo.example.lt", "Rūta Petrauskienė", _VILNIUS[0], "social_worker"),
            ("mindaugas@demo.example.lt", "Mindaugas Jonaitis", _VILNIUS[0], "social_worker"),
            ("laura@demo.example.lt", "Laura Vaitkutė", _VILNIUS[0], "social_worker"),
            ("darius@demo.example.lt", "Darius Stankevičius", _VILNIUS[1], "teacher"),
            ("inga@demo.example.lt", "Inga Balčiūnienė", _VILNIUS[1], "teacher"),
            ("giedre@demo.example.lt", "Giedrė Kairytė", _VILNIUS[2], "health_specialist"),
            ("tadas@demo.example.lt", "Tadas Urbonas", _VILNIUS[2], "health_specialist"),
        ),
        workplaces=(_VILNIUS[0], _VILNIUS[1]),
        contacts=(
            ("police", "Policijos komisariatas (pavyzdys)", "Police station (example)"),
            ("ngo", "Pagalbos nukentėjusiesiems organizacija (pavyzdys)",
             "Organisation supporting victims (example)"),
            ("child-rights", "Vaiko teisių apsaugos skyrius (pavyzdys)",
             "Child rights protection unit (example)"),
            ("social-services", "Socialinių paslaugų centras (pavyzdys)",
             "Social services centre (example)"),
        ),
        note={"lt": "Pavyzdiniai duomenys: čia savivaldybė įrašo tikrus kontaktus.",
              "en": "Example data: the municipality enters its real contacts here."},
    ),
    "LV": DemoTeam(
        code="LV-RIX",
        staff=(
            ("kristine@demo.example.lv", "Kristīne Zariņa", _RIGA[0], "social_worker"),
            ("martins@demo.example.lv", "Mārtiņš Ozoliņš", _RIGA[0], "social_worker"),
            ("santa@demo.example.lv", "Santa Kalniņa", _RIGA[0], "social_worker"),
            ("raivis@demo.example.lv", "Raivis Priede", _RIGA[1], "teacher"),
            ("zane@demo.example.lv", "Zane Lūse", _RIGA[1], "teacher"),
            ("evija@demo.example.lv", "Evija Siliņa", _RIGA[2], "health_specialist"),
            ("oskars@demo.example.lv", "Oskars Celms", _RIGA[2], "health_specialist"),
        ),
        workplaces=(_RIGA[0], _RIGA[1]),
        contacts=(
            ("police", "Policijas iecirknis (piemērs)", "Police station (example)"),
            ("ngo", "Organizācija, kas palīdz cietušajiem (piemērs)",
             "Organisation supporting victims (example)"),
            ("child-rights", "Bērnu tiesību aizsardzības speciālists (piemērs)",
             "Child rights protection unit (example)"),
            ("social-services", "Sociālais dienests (piemērs)",
             "Social services centre (example)"),
        ),
        note={"lv": "Piemēra dati: šeit pašvaldība ievada savus īstos kontaktus.",
              "en": "Example data: the municipality enters its real contacts here."},
    ),
}


def _team() -> DemoTeam:
    return TEAMS[current_app.config["COUNTRY"]]


def _add_staff() -> None:
    team = _team()
    for email, name, workplace, profession in team.staff:
        if not accounts.email_taken(email):
            accounts.create_user(email=email, full_name=name, password=None,
                                 municipality_code=team.code, workplace=workplace,
                                 profession=profession)
    db.session.commit()


def _add_assignments() -> None:
    team = _team()
    courses = live_courses(local_language())
    if not courses or db.session.scalar(select(exists().where(
            Assignment.course_id.in_([c.id for c in courses])))):
        return
    social, school = team.workplaces
    assignments.assign(team.code, courses[0].id, today() + timedelta(days=21),
                       target="municipality", by_user_id=None)
    if len(courses) > 1:
        assignments.assign(team.code, courses[1].id, today() + timedelta(days=5),
                           target="workplace", workplace=social, by_user_id=None)
        # Overdue at the school, so the dashboard shows the flag; a supervisor could
        # not pick a past date in the form.
        assignments.assign(team.code, courses[1].id, today() - timedelta(days=3),
                           target="workplace", workplace=school, by_user_id=None)
    db.session.commit()


def _add_contacts() -> None:
    team = _team()
    if db.session.scalar(select(exists().where(ReferralContact.municipality_code == team.code))):
        return
    for role, local, en in team.contacts:
        db.session.add(ReferralContact(
            municipality_code=team.code, role=role,
            organisation={local_language(): local, "en": en},
            address={}, hours={}, notes=dict(team.note), phone="", email="",
        ))
    db.session.commit()


def add_demo_supervision() -> None:
    """Give the demo supervisor's municipality a team, assignments and a directory."""
    _add_staff()
    _add_assignments()
    _add_contacts()
    click.echo(f"Demo supervision data added for {_team().code}.")
