from sqlalchemy import select

from elearn.auth.models import User
from elearn.extensions import db
from elearn.mail import outbox

STRONG = "velvet lantern orbit meadow"


def test_users_create_asks_for_the_password_without_echo(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "Vadove@Example.lt", "--name", "Daiva Vadovė",
              "--role", "supervisor", "--municipality", "LT-57"],
        input=f"{STRONG}\n{STRONG}\n",
    )
    assert result.exit_code == 0, result.output
    assert STRONG not in result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "vadove@example.lt"
        assert user.role == "supervisor"
        assert [m.code for m in user.supervised] == ["LT-57"]


def test_users_create_refuses_weak_password_unknown_municipality_and_duplicates(app, runner):
    weak = runner.invoke(args=["users", "create", "--email", "a@example.lt", "--name", "A",
                               "--municipality", "LT-57"], input="password123\npassword123\n")
    assert weak.exit_code != 0
    unknown = runner.invoke(args=["users", "create", "--email", "a@example.lt", "--name", "A",
                                  "--municipality", "LT-99", "--invite"])
    assert unknown.exit_code != 0 and "unknown municipality" in unknown.output
    ok = runner.invoke(args=["users", "create", "--email", "a@example.lt", "--name", "A",
                             "--municipality", "LT-13", "--invite"])
    assert ok.exit_code == 0, ok.output
    again = runner.invoke(args=["users", "create", "--email", "A@example.lt", "--name", "A",
                                "--municipality", "LT-13", "--invite"])
    assert again.exit_code != 0 and "already exists" in again.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
        assert "/account/invitation/" in outbox()[-1].get_content()


def test_set_role_scopes_supervisors(app, runner, make_user):
    make_user(email="s@example.lt")
    result = runner.invoke(args=["users", "set-role", "s@example.lt", "supervisor",
                                 "--municipality", "LT-57", "--municipality", "LT-58"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["users", "set-role", "s@example.lt", "supervisor",
                              "--municipality", "LT-99"])
    assert bad.exit_code != 0
    with app.app_context():
        user = db.session.scalar(select(User))
        assert sorted(m.code for m in user.supervised) == ["LT-57", "LT-58"]


def test_deactivate_and_activate_go_through_the_account_services(app, runner, make_user):
    user_id = make_user(email="ona@example.lt")
    with app.app_context():
        token = db.session.get(User, user_id).session_token
    assert runner.invoke(args=["users", "deactivate", "ona@example.lt"]).exit_code == 0
    with app.app_context():
        user = db.session.get(User, user_id)
        assert not user.active and user.session_token != token  # signed out everywhere
    assert runner.invoke(args=["users", "activate", "ona@example.lt"]).exit_code == 0
    with app.app_context():
        assert db.session.get(User, user_id).active


def test_send_reset_mails_a_link_in_the_users_language(app, runner, make_user):
    make_user(email="ona@example.lt", locale="lt")
    result = runner.invoke(args=["users", "send-reset", "ona@example.lt"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        mail = outbox()[-1]
    assert mail["To"] == "ona@example.lt"
    assert mail["Subject"] == "Nustatykite naują slaptažodį"
    assert "/account/reset/" in mail.get_content()
    runner.invoke(args=["users", "deactivate", "ona@example.lt"])
    refused = runner.invoke(args=["users", "send-reset", "ona@example.lt"])
    assert refused.exit_code != 0 and "deactivated" in refused.output
    unknown = runner.invoke(args=["users", "send-reset", "nobody@example.lt"])
    assert unknown.exit_code != 0 and "no account" in unknown.output
