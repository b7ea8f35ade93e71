"""The application as gunicorn serves it, plus /bench/bare for bench_learning.py.

/bench/bare is the baseline: a page rendered by the same app, workers and server,
without the database or a signed-in user. It exists only in this benchmark module.
"""

from flask import render_template_string

from elearn import create_app
from elearn.access import public

app = create_app()


@public
def bare():
    return render_template_string("<!doctype html><title>bare</title><p>{{ text }}</p>",
                                  text="A bare Flask page.")


app.add_url_rule("/bench/bare", "bench_bare", bare)
