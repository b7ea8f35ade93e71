"""Demo supervision data for `flask demo`: more staff, assignments and a referral directory.

Everything here is a clearly fictional placeholder: invented people who cannot sign
in (no password, no invitation sent), and directory entries marked "(pavyzdys)"
with no phone numbers or addresses, so nobody mistakes them for real contacts.
Running it again adds nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import exists, select

from elearn.assignments import services as assignments
from elearn.assignments.models import Assignment
from elearn.auth import services as accounts
from elearn.directory.models import ReferralContact
from elearn.extensions import db
from elearn.i18n import today
from elearn.publishing.courses import live_courses

CODE = "LT-57"
SOCIAL = "Vilniaus miesto socialinės paramos centras"
SCHOOL = "Vilniaus m. mokykla"
CLINIC = "Vilniaus m. poliklinika"

# (email, name, workplace, profession): invited colleagues of the demo supervisor.
STAFF = [
    ("ruta@demo.example.lt", "Rūta Petrauskienė", SOCIAL, "social_worker"),
    ("mindaugas@demo.example.lt", "Mindaugas Jonaitis", SOCIAL, "social_worker"),
    ("laura@demo.example.lt", "Laura Vaitkutė", SOCIAL, "social_worker"),
    ("darius@demo.example.lt", "Darius Stankevičius", SCHOOL, "teacher"),
    ("inga@demo.example.lt", "Inga Balčiūnienė", SCHOOL, "teacher"),
    ("giedre@demo.example.lt", "Giedrė Kairytė", CLINIC, "health_specialist"),
    ("tadas@demo.example.lt", "Tadas Urbonas", CLINIC, "health_specialist"),
]

# (role, organisation in Lithuanian, in English)
CONTACTS = [
    ("police", "Policijos komisariatas (pavyzdys)", "Police station (example)"),
    ("ngo", "Pagalbos nukentėjusiesiems organizacija (pavyzdys)",
     "Organisation supporting victims (example)"),
    ("child-rights", "Vaiko teisių apsaugos skyrius (pavyzdys)",
     "Child rights protection unit (example)"),
    ("social-services", "Socialinių paslaugų centras (pavyzdys)",
     "Social services centre (example)"),
]
NOTE = {"lt": "Pavyzdiniai duomenys: čia savivaldybė įrašo tikrus kontaktus.",
        "en": "Example data: the municipality enters its real contacts here."}


def _add_staff() -> None:
    for email, name, workplace, profession in STAFF:
        if not accounts.email_taken(email):
            accounts.create_user(email=email, full_name=name, password=None,
                                 municipality_code=CODE, workplace=workplace,
                                 profession=profession)
    db.session.commit()


def _add_assignments() -> None:
    courses = live_courses("lt")
    if not courses or db.session.scalar(select(exists().where(
            Assignment.course_id.in_([c.id for c in courses])))):
        return
    assignments.assign(CODE, courses[0].id, today() + timedelta(days=21),
                       target="municipality", by_user_id=None)
    if len(courses) > 1:
        assignments.assign(CODE, courses[1].id, today() + timedelta(days=5),
                           target="workplace", workplace=SOCIAL, by_user_id=None)
        # Overdue at the school, so the dashboard shows the flag; a supervisor could
        # not pick a past date in the form.
        assignments.assign(CODE, courses[1].id, today() - timedelta(days=3),
                           target="workplace", workplace=SCHOOL, by_user_id=None)
    db.session.commit()


def _add_contacts() -> None:
    if db.session.scalar(select(exists().where(ReferralContact.municipality_code == CODE))):
        return
    for role, lt, en in CONTACTS:
        db.session.add(ReferralContact(
            municipality_code=CODE, role=role, organisation={"lt": lt, "en": en},
            address={}, hours={}, notes=dict(NOTE), phone="", email="",
        ))
    db.session.commit()


def add_demo_supervision() -> None:
    """Give the demo supervisor's municipality a team, assignments and a directory."""
    _add_staff()
    _add_assignments()
    _add_contacts()
    click.echo(f"Demo supervision data added for {CODE}.")
