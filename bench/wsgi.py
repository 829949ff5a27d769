"""Our app as a WSGI server loads it (`gunicorn bench.wsgi:app`), configured from the
environment: DATABASE_URL, and SECRET_KEY (bench/run.py sets both)."""

from web import create_app

app = create_app()
