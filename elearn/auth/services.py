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
from elearn.audit.services import changes, record
from elearn.auth.models import Profession, Role, User
from elearn.auth.passwords import hash_password, needs_rehash, verify_password
from elearn.auth.signals import staff_joined
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
    locale: str | None = None,
    role: Role = Role.LEARNER,
    confirmed: bool = True,
    municipality_confirmed: bool = True,
) -> User:
    """Add a user to the session; the caller commits. Self-registered accounts are not
    confirmed until their owner follows the link e-mailed to the address; under
    REGISTRATION=confirm their municipality waits for a supervisor's confirmation."""
    now = utcnow()
    user = User(
        email=normalize_email(email),
        full_name=full_name.strip(),
        password_hash=hash_password(password) if password else None,
        municipality_code=municipality_code,
        workplace=workplace.strip(),
        profession=profession,
        locale=locale or current_app.config["BABEL_DEFAULT_LOCALE"],
        role=role.value,
        email_confirmed_at=now if confirmed else None,
        municipality_confirmed_at=now if municipality_confirmed else None,
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


class NotAllowed(ValueError):
    """A change the rules refuse (an admin removing her own admin role, …)."""


def _user_id(user: User) -> int:
    if user.id is None:
        db.session.flush()
    return user.id


def _audit_user(action: str, user: User, old: dict, new: dict) -> None:
    """One entry for the fields that changed, seen by the municipalities concerned: hers
    before and after, and those she was given or lost to supervise."""
    before, after = changes(old, new)
    if not after:
        return
    supervised = set(old.get("supervises", ())) ^ set(new.get("supervises", ()))
    record(action, "user", _user_id(user), before=before, after=after,
           municipality=old.get("municipality_code", user.municipality_code),
           other_municipality=new.get("municipality_code"), concerns=supervised)


def set_role(user: User, role: Role, municipality_codes: list[str] | None = None, *,
             by: User | None = None) -> None:
    """Give the user a role; supervisors get the municipalities they supervise. `by` is
    the admin doing it on the web: she cannot take away her own admin role."""
    if by is not None and by.id == user.id and user.role == Role.ADMIN.value and (
            role is not Role.ADMIN):
        raise NotAllowed(_("You cannot remove your own administrator role. "
                           "Ask another administrator."))
    old = {"role": user.role, "supervises": sorted(m.code for m in user.supervised)}
    places: list[Municipality] = []
    if role is Role.SUPERVISOR:  # looked up before anything changes (autoflush)
        codes = municipality_codes or ([user.municipality_code] if user.municipality_code else [])
        places = list(
            db.session.scalars(select(Municipality).where(Municipality.code.in_(codes)))
        )
        if len(places) != len(set(codes)) or not codes:
            raise ValueError("a supervisor needs one or more existing municipality codes")
    user.role = role.value
    user.supervised = places
    _audit_user("user.role", user, old,
                {"role": user.role, "supervises": sorted(m.code for m in user.supervised)})


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


ACCOUNT_FIELDS = ("full_name", "email", "municipality_code", "workplace", "profession",
                  "locale")


def _details(user: User, fields=ACCOUNT_FIELDS) -> dict:
    return {name: getattr(user, name) for name in fields}


def update_profile(user: User, *, full_name: str, municipality_code: str | None,
                   workplace: str, profession: str, locale: str) -> None:
    """What people say about themselves on their profile; the caller commits. A learner
    who moves to another municipality waits for its supervisors' confirmation when
    REGISTRATION is confirm."""
    old = _details(user)
    user.full_name = full_name.strip()
    moved_in = _move(user, municipality_code or None,
                     confirmed=current_app.config.get("REGISTRATION") != "confirm"
                     or user.role != Role.LEARNER.value)
    user.workplace = workplace.strip()
    user.profession = profession
    user.locale = locale
    _audit_user("user.details", user, old, _details(user))
    if moved_in:
        joined(user.municipality_code)


def _move(user: User, code: str | None, *, confirmed: bool) -> bool:
    """True when the user joined the staff of `code` (confirmed at once)."""
    if code == user.municipality_code:
        return False
    user.municipality_code = code
    user.municipality_confirmed_at = utcnow() if confirmed and code else None
    return user.municipality_confirmed_at is not None


def joined(code: str | None) -> None:
    """Tell the features that follow staff (assignment rules) someone joined `code`; the
    caller commits. (A staff import tells them once for the whole file.)"""
    if code:
        staff_joined.send(current_app._get_current_object(), code=code)


def update_account(user: User, *, full_name: str, email: str, municipality_code: str | None,
                   workplace: str, profession: str, locale: str) -> None:
    """An administrator's correction of an account; the caller commits. The address must
    be free (email_taken, case-insensitively); a municipality she sets is confirmed."""
    old = _details(user)
    user.full_name = full_name.strip()
    user.email = normalize_email(email)
    moved_in = _move(user, municipality_code or None, confirmed=True)
    user.workplace = workplace.strip()
    user.profession = profession
    user.locale = locale
    _audit_user("user.details", user, old, _details(user))
    if moved_in:
        joined(user.municipality_code)


def email_taken_by_other(email: str, user: User) -> bool:
    return db.session.scalar(
        select(func.count()).select_from(User)
        .where(User.email == normalize_email(email), User.id != user.id)
    ) > 0


def correct_staff_details(user: User, *, full_name: str, workplace: str,
                          profession: str) -> None:
    """A supervisor corrects what her staff member's certificates and reports show."""
    fields = ("full_name", "workplace", "profession")
    old = _details(user, fields)
    user.full_name = full_name.strip()
    user.workplace = workplace.strip()
    user.profession = profession
    _audit_user("user.details", user, old, _details(user, fields))


def confirm_municipality(user: User) -> None:
    """A supervisor confirms that a self-registered learner works in her municipality."""
    if user.municipality_confirmed_at is None:
        user.municipality_confirmed_at = utcnow()
        record("user.confirmed", "user", _user_id(user), after={
            "municipality_code": user.municipality_code}, municipality=user.municipality_code)
        joined(user.municipality_code)


def move_to_municipality(user: User, code: str, *, confirmed: bool) -> None:
    """Put a learner waiting for confirmation in the municipality she really works in;
    confirmed at once when the supervisor doing it supervises that one too."""
    old = _details(user, ("municipality_code",))
    user.municipality_code = code
    user.municipality_confirmed_at = utcnow() if confirmed else None
    _audit_user("user.moved", user, old, _details(user, ("municipality_code",)))
    if confirmed:
        joined(code)


def release(user: User) -> None:
    """A learner moved away: she leaves this municipality's staff (and every report of
    it) and chooses her new one on her profile. Her certificates stay hers."""
    old = _details(user, ("municipality_code",))
    user.municipality_code = None
    user.municipality_confirmed_at = None
    _audit_user("user.released", user, old, {"municipality_code": None})


def activate(user: User) -> None:
    """Let a deactivated account sign in again; the caller commits."""
    if not user.active:
        user.active = True
        record("user.activated", "user", _user_id(user), before={"active": False},
               after={"active": True}, municipality=user.municipality_code)


def deactivate(user: User, *, by: User | None = None) -> None:
    """Stop the account and end every session it has at once; the caller commits.
    Nobody deactivates herself this way (`by`: the person doing it on the web)."""
    if by is not None and by.id == user.id:
        raise NotAllowed(_("You cannot deactivate your own account."))
    if user.active:
        user.active = False
        record("user.deactivated", "user", _user_id(user), before={"active": True},
               after={"active": False}, municipality=user.municipality_code)
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
