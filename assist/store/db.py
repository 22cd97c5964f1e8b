"""Engine factory, sessions and schema upgrades (alembic, run in-process)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, InterfaceError, InternalError, OperationalError
from sqlalchemy.exc import DatabaseError as SQLAlchemyDatabaseError
from sqlalchemy.exc import OperationalError as SQLAlchemyOperationalError
from sqlalchemy.orm import Session, sessionmaker

from assist.errors import DatabaseError
from assist.store import facts

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SUPPORTED = ("sqlite", "postgresql")
_HOW = "Use sqlite:///path/to/assist.db (one machine) or postgresql://user@host/database (a team)."

# One session maker per engine, made once: each keeps the dashboard's facts of the tickets its sessions
# changed, in their own transaction (installed here, for this engine, not on SQLAlchemy's global Session).
_SESSIONS: WeakKeyDictionary[Engine, sessionmaker[Session]] = WeakKeyDictionary()
_SESSIONS_LOCK = threading.Lock()


def normalize_url(url: str) -> str:
    """Accept the `postgresql://` URLs people paste and use the installed psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def database_url(url: str) -> URL:
    """`url` parsed, if it names a database Assist Console runs on.

    Raises:
        DatabaseError: not a URL, or another kind of database (MySQL, ...): says which and what to use.
    """
    try:
        sa_url = make_url(normalize_url(url))
    except ArgumentError as e:
        scheme = url.partition(":")[0][:40] if ":" in url else "no scheme"
        raise DatabaseError(f"DATABASE_URL is not a database URL ({scheme}…). {_HOW}") from e
    if sa_url.get_backend_name() not in SUPPORTED:
        raise DatabaseError(
            f"DATABASE_URL names a {sa_url.get_backend_name()} database, which Assist Console does not run on. {_HOW}"
        )
    return sa_url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Build the one Engine a process shares. SQLite gets WAL, foreign keys and a busy timeout.

    Raises:
        DatabaseError: `url` is not a database Assist Console runs on (`database_url`).
    """
    sa_url = database_url(url)
    if sa_url.get_backend_name() == "sqlite":
        if sa_url.database and sa_url.database != ":memory:":
            Path(sa_url.database).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 15})
        engine = create_engine(sa_url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(sa_url, pool_pre_ping=True, **kwargs)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The engine's session maker, with the facts kept on every write."""
    with _SESSIONS_LOCK:
        sessions = _SESSIONS.get(engine)
        if sessions is None:
            sessions = _SESSIONS[engine] = sessionmaker(engine, expire_on_commit=False)
            facts.track(sessions)
        return sessions


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work: commits on success, rolls back on any error.

    Faults of the database itself (read-only, disk full, unreachable, a value it cannot store) become a
    `DatabaseError` that says nothing was saved; the traceback goes to the log, not to the person.
    """
    with session_factory(engine)() as session:
        try:
            yield session
            session.commit()
        except (SQLAlchemyOperationalError, InterfaceError, InternalError, DataError) as e:
            session.rollback()
            log.warning("database fault", exc_info=True)
            raise DatabaseError(
                f"The database could not complete this ({_reason(e)}); nothing was saved. "
                "Try again in a moment; if it keeps happening, ask your admin to check the database "
                "(is it read-only, full or unreachable?)."
            ) from e
        except BaseException:
            session.rollback()
            raise


def _reason(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0][:120] if error.orig is not None else type(error).__name__


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for migrations, in one transaction. SQLite alters a table by rebuilding it (copy, drop the old
    one, rename), and with foreign keys on, dropping the old table deletes every row that points at it by ON DELETE
    CASCADE: so foreign keys are off while the schema changes (SQLite ignores the switch inside a transaction) and,
    when the schema did change, checked before they are on again."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                before = connection.exec_driver_sql("PRAGMA schema_version").scalar() if sqlite else None
                yield connection
                changed = sqlite and connection.exec_driver_sql("PRAGMA schema_version").scalar() != before
                if changed and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DatabaseError(
                        "A schema migration left rows pointing at nothing, so it was stopped. Restore the database "
                        "file from a backup taken before the upgrade and report this to the developers."
                    )
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`, keeping data. Safe to call on every start."""
    config = _alembic_config()
    try:
        with migration_connection(engine) as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if revision == "head":
                facts.compute_if_missing(connection)
    except OperationalError as e:
        raise DatabaseError(
            f"Cannot reach the database at {engine.url.render_as_string(hide_password=True)}: "
            "check DATABASE_URL and that the server is running."
        ) from e
    except SQLAlchemyDatabaseError as e:
        if type(e) is not SQLAlchemyDatabaseError:  # a ProgrammingError, IntegrityError...: a bug, shown as one
            raise
        # The driver's generic error: e.g. "file is not a database" for a damaged or foreign SQLite file.
        raise DatabaseError(
            f"The database at {engine.url.render_as_string(hide_password=True)} cannot be read ({_reason(e)}): "
            "it is damaged or not a database. Point DATABASE_URL at the right database, or restore the file "
            "from a backup; a path to a new file starts an empty workspace."
        ) from e


def downgrade(engine: Engine, revision: str) -> None:
    config = _alembic_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("tickets")
