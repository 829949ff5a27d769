"""The bare page: Flask + SQLAlchemy selecting 50 projects (id, name, year, state) from the same
database and rendering them with a small Jinja template. Nothing else (no login, no CSRF, no
navigation counts): the ceiling any page of ours can reach on the same stack, so benchmarks
report each page as a ratio to it.

    DATABASE_URL=postgresql://… gunicorn bench.bare:app
"""

from __future__ import annotations

import os

from flask import Flask, g, render_template
from sqlalchemy import Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ROWS = 50


class Base(DeclarativeBase):
    pass


class Project(Base):
    """Just the columns the page shows, of our `projects` table."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(40))


def _engine_url(url: str) -> str:
    # Our stack's driver is psycopg 3, as workflow/db.py uses it.
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def create_app(database_url: str | None = None) -> Flask:
    app = Flask(__name__, template_folder="templates")
    engine = create_engine(_engine_url(database_url or os.environ["DATABASE_URL"]))

    @app.route("/")
    def index():
        g.db = Session(engine)
        # id descending: newest first, read straight off the primary key's index
        query = select(Project).order_by(Project.id.desc()).limit(ROWS)
        return render_template("bare.html", projects=g.db.scalars(query).all())

    @app.teardown_appcontext
    def close(_exc=None):
        session = g.pop("db", None)
        if session is not None:
            session.close()

    return app


app = create_app() if os.environ.get("DATABASE_URL") else None
