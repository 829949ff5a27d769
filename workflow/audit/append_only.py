"""The database itself refuses to change or remove an audit event.

The hash chain (chain.py) detects an altered or deleted event, but not a history cut off at its
end; these triggers make the application's own connection unable to do either. Removing them
takes a schema change (DROP TRIGGER), which is the privileged, visible act an attacker or a
careless script would have to commit. Installed by migration 0007; the SQL lives here so the
migration and the tests share one text."""

from __future__ import annotations

from sqlalchemy import Connection, text

REFUSED = "audit_events is append-only"
# Every column but `hash`. chain.append seals an event by setting its hash once, right after the
# insert (the hash covers the id the insert assigns): that one update is let through, nothing
# else. A test keeps this list equal to the table's columns; a new column needs a new migration
# that installs the triggers again with it (0014 added `alg`; 0007 keeps the list of its day).
COLUMNS_0007 = (
    "id", "seq", "at", "actor_id", "actor_name", "project_id", "action", "label", "from_state",
    "to_state", "comment", "details", "prev_hash",
)  # fmt: skip
SEALED_COLUMNS = (*COLUMNS_0007, "alg")


def _postgresql_create(columns) -> tuple[str, ...]:
    changed = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in columns)
    return (
        f"""CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND OLD.hash = '' AND NOT ({changed}) THEN
                RETURN NEW;  -- sealing a new event
            END IF;
            RAISE EXCEPTION '{REFUSED}: % refused', TG_OP;
        END $$""",
        """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
        """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()""",
    )


_POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_append_only()",
)


def _sqlite_create(columns) -> tuple[str, ...]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    return (
        f"""CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        WHEN OLD.hash <> '' OR {changed}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: UPDATE refused'); END""",
        f"""CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, '{REFUSED}: DELETE refused'); END""",
    )


_SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS audit_events_no_{op}" for op in ("update", "delete"))


def statements(dialect: str, *, create: bool, columns=SEALED_COLUMNS) -> tuple[str, ...]:
    """The SQL that installs (`create`) or removes the append-only triggers."""
    if dialect == "postgresql":
        return _postgresql_create(columns) if create else _POSTGRESQL_DROP
    if dialect == "sqlite":
        return _sqlite_create(columns) if create else _SQLITE_DROP
    raise ValueError(f"no append-only triggers for {dialect}")


def install(conn: Connection, columns: tuple[str, ...] = SEALED_COLUMNS) -> None:
    for statement in statements(conn.dialect.name, create=True, columns=columns):
        conn.execute(text(statement))


def remove(conn: Connection) -> None:
    for statement in statements(conn.dialect.name, create=False):
        conn.execute(text(statement))
