"""Declarative base, engine and session factory, and the column types money and time need."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from sqlalchemy import BigInteger, DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

FEN_PER_WAN = 1_000_000  # 1 万元 = 10 000 元 = 1 000 000 分
MAX_WAN = Decimal("1000000000")  # 10^9 万元 (10^13 元): far above any municipal project


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def wan_to_fen(value: Decimal) -> int:
    """万元 as Decimal -> integer fen; refuses fractions of a fen and absurd magnitudes."""
    try:
        fen = Decimal(value) * FEN_PER_WAN
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not fen.is_finite() or fen != fen.to_integral_value():
        raise ValueError(f"amount finer than one fen: {value!r}")
    if abs(Decimal(value)) > MAX_WAN:
        raise ValueError(f"amount out of range: {value!r}")
    return int(fen)


def fen_to_wan(fen: int) -> Decimal:
    return Decimal(fen) / FEN_PER_WAN


class Money(TypeDecorator[Decimal]):
    """An amount in 万元 (Decimal in Python), stored exactly as integer fen."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else wan_to_fen(value)

    def process_result_value(self, value, dialect):
        return None if value is None else fen_to_wan(value)


class Percent(TypeDecorator[Decimal]):
    """A percentage such as 99.5 (meaning 99.5 %), stored exactly as integer hundredths."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        scaled = Decimal(value) * 100
        if scaled != scaled.to_integral_value():
            raise ValueError(f"percentage finer than 0.01: {value!r}")
        return int(scaled)

    def process_result_value(self, value, dialect):
        return None if value is None else Decimal(value) / 100


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite keeps it naive; we re-attach UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is required")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; on SQLite: WAL, foreign keys, a busy timeout and explicit BEGINs."""
    if url.startswith(("postgresql://", "postgres://")):
        # The driver we ship is psycopg 3; a plain URL would ask for psycopg2.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, emit BEGIN so that writers can ask for IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A deferred read-then-write transaction fails at once on a lock and ignores
        # busy_timeout; writers take the write lock up front instead.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """An engine and the sessions made from it: read sessions and write sessions."""

    def __init__(self, url: str, **engine_kwargs) -> None:
        self.engine = make_engine(url, **engine_kwargs)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, *, write: bool = False) -> Session:
        """A new session; a write session takes SQLite's write lock when it begins."""
        session = self._factory()
        if write and self.dialect == "sqlite":
            session.connection(execution_options={"sqlite_immediate": True})
        return session

    def dispose(self) -> None:
        self.engine.dispose()
