"""Account operations shared by the views and the commands."""

from __future__ import annotations

import hashlib

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from elearn import jobs
from elearn.access import staff_of
from elearn.auth.models import Profession, Role, User
from elearn.auth.passwords import hash_password, needs_rehash, verify_password
from elearn.extensions import db
from elearn.mail import send_mail
from elearn.municipalities import Municipality, collation_key
from elearn.types import utcnow
from elearn.urls import external_url

# A hash that verify_password can check against when the e-mail is unknown,
# so a failed login takes as long whether or not the account exists.
_DUMMY_HASH: dict[str, str] = {}


def normalize_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def email_taken(email: str) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(User).where(User.email == normalize_email(email))
    ) > 0


def municipality_exists(code: str) -> bool:
    return db.session.get(Municipality, code) is not None


def workplaces(code: str) -> list[str]:
    """The workplaces the municipality's staff have given, for workplace filters."""
    names = db.session.scalars(
        select(User.workplace).distinct().where(staff_of(code), User.workplace != "")
    )
    return sorted(names, key=collation_key)


def _dummy_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD") or "argon2id"
    if method not in _DUMMY_HASH:
        _DUMMY_HASH[method] = hash_password("not-a-real-password-at-all")
    return _DUMMY_HASH[method]


def authenticate(email: str, password: str) -> User | None:
    """The user when the password is right; one hash verification of the same cost
    whatever the account's state (unknown, deactivated, invited without a password),
    so the answer's timing does not tell which accounts exist."""
    user = user_by_email(email)
    usable = user is not None and user.active and user.password_hash
    right = verify_password(user.password_hash if usable else _dummy_hash(), password)
    if not (usable and right):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)  # committed with the sign-in
    return user


def create_user(
    *,
    email: str,
    full_name: str,
    password: str | None,
    municipality_code: str | None,
    workplace: str = "",
    profession: str = Profession.OTHER.value,
    locale: str = "lt",
    role: Role = Role.LEARNER,
    confirmed: bool = True,
) -> User:
    """Add a user to the session; the caller commits. Self-registered accounts are not
    confirmed until their owner follows the link e-mailed to the address."""
    user = User(
        email=normalize_email(email),
        full_name=full_name.strip(),
        password_hash=hash_password(password) if password else None,
        municipality_code=municipality_code,
        workplace=workplace.strip(),
        profession=profession,
        locale=locale,
        role=role.value,
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    return user


def set_password(user: User, password: str) -> None:
    """Change the password and end every session of the user; the caller commits.
    A password set through an e-mailed link also proves the address."""
    user.password_hash = hash_password(password)
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.end_all_sessions()


def confirm_email(user: User) -> None:
    """The owner followed the confirmation link; the caller commits."""
    user.email_confirmed_at = user.email_confirmed_at or utcnow()


def set_role(user: User, role: Role, municipality_codes: list[str] | None = None) -> None:
    """Give the user a role; supervisors get the municipalities they supervise."""
    user.role = role.value
    if role is Role.SUPERVISOR:
        codes = municipality_codes or ([user.municipality_code] if user.municipality_code else [])
        user.supervised = list(
            db.session.scalars(select(Municipality).where(Municipality.code.in_(codes)))
        )
        if len(user.supervised) != len(set(codes)) or not codes:
            raise ValueError("a supervisor needs one or more existing municipality codes")
    else:
        user.supervised = []


# Tokens for password reset and invitations. The payload carries a fingerprint of
# the current password hash, so a token stops working once it has been used.
def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"elearn-{purpose}")


def _fingerprint(user: User) -> str:
    """Changes when the password is set or the address confirmed: each link works once."""
    confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else "no"
    state = f"{user.password_hash or 'unset'}|{confirmed}"
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def make_password_token(user: User, purpose: str = "reset") -> str:
    return _serializer(purpose).dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_password_token(token: str, purpose: str = "reset") -> User | None:
    max_age = current_app.config[{"invite": "INVITATION_MAX_AGE",
                                  "confirm": "CONFIRMATION_MAX_AGE"}.get(
                                      purpose, "PASSWORD_RESET_MAX_AGE")]
    try:
        data = _serializer(purpose).loads(token, max_age=int(max_age.total_seconds()))
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = db.session.get(User, data["u"])
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None
    return user


def update_profile(user: User, *, full_name: str, municipality_code: str | None,
                   workplace: str, profession: str, locale: str) -> None:
    """What people say about themselves on their profile; the caller commits."""
    user.full_name = full_name.strip()
    user.municipality_code = municipality_code or None
    user.workplace = workplace.strip()
    user.profession = profession
    user.locale = locale


def activate(user: User) -> None:
    """Let a deactivated account sign in again; the caller commits."""
    user.active = True


def deactivate(user: User) -> None:
    """Stop the account and end every session it has at once; the caller commits."""
    user.active = False
    user.end_all_sessions()


def send_password_reset(user: User, lang: str | None = None) -> None:
    """E-mail a link to choose a new password, in lang (default: the user's language).
    Nothing is stored: the token is signed and stops working once the password changes."""
    token = make_password_token(user, "reset")
    hours = int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 3600)
    with force_locale(lang or user.locale):
        link = external_url("auth.reset_password", token=token)
        body = render_template("auth/email/reset.txt", user=user, link=link, hours=hours)
        send_mail(user.email, _("Set a new password"), body)


def send_invitation(user: User) -> None:
    """E-mail the user a link to choose a password (used by staff import too)."""
    token = make_password_token(user, "invite")
    with force_locale(user.locale):
        link = external_url("auth.accept_invitation", token=token)
        body = render_template("auth/email/invitation.txt", user=user, link=link)
        send_mail(user.email, _("Your account on the anti-trafficking training platform"), body)


INVITATION_JOB = "elearn.auth.services:send_queued_invitation"


def queue_invitation(user: User) -> None:
    """Invite a committed account: on a worker with REDIS_URL set (a staff list of 300
    people is 300 mails, retried if the mail server is away), at once without it."""
    jobs.enqueue(INVITATION_JOB, user.id, key=f"invitation:{user.id}",
                 description=f"invitation e-mail to user {user.id}")


def send_queued_invitation(user_id: int) -> None:
    """The invitation job. Safe to run again: nobody who has since chosen a password, been
    deactivated or been deleted is invited."""
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.password_hash is not None:
        return
    send_invitation(user)


def send_confirmation(user: User) -> None:
    """E-mail a self-registered person the link that confirms the address and signs in."""
    token = make_password_token(user, "confirm")
    with force_locale(user.locale):
        link = external_url("auth.confirm_email", token=token)
        body = render_template("auth/email/confirm.txt", user=user, link=link)
        send_mail(user.email, _("Confirm your e-mail address"), body)


def send_registration_note(user: User) -> None:
    """Someone registered with an address that has an account: tell its owner, not them."""
    with force_locale(user.locale):
        body = render_template("auth/email/already_registered.txt", user=user,
                               sign_in=external_url("auth.login"),
                               reset=external_url("auth.reset_request"))
        send_mail(user.email, _("Someone tried to register with your e-mail address"), body)
