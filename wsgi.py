"""Entry point for WSGI servers: gunicorn wsgi:app (and for the flask command)."""

from elearn import create_app

app = create_app()
