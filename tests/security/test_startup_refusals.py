"""Issue 31, findings 11 and 13: every entry point (command line, app, `ui.serve`, the intake server) refuses
to start on the same problems, with the same plain message and no traceback.

11: DEMO_MODE=false with an empty (or blank, or weak) SECRET_KEY passed the start-up gate.
13: a file that is not a SQLite database, or DATABASE_URL=mysql://..., gave tracebacks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as hs
from streamlit.testing.v1 import AppTest

from assist.cli import main
from assist.config import DEMO_SECRET, MIN_SECRET_CHARS, Settings, get_settings
from assist.errors import ConfigError, DatabaseError
from assist.store import make_engine, upgrade
from ui import warmup

ROOT = Path(__file__).parents[2]
STRONG = "k" * MIN_SECRET_CHARS


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'ok.db'}")
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DEMO_MODE", raising=False)
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()
    yield
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()


# 11 · SECRET_KEY outside demo mode ---------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(key=hs.text(alphabet=" \t\r\n\u00a0\u2003\u3000", max_size=40))
def test_a_blank_secret_key_counts_as_none_and_is_refused_outside_demo_mode(key: str) -> None:
    with pytest.raises(ValueError, match="SECRET_KEY is not set"):
        Settings(demo_mode=False, secret_key=key)
    assert Settings(demo_mode=True, secret_key=key).secret_key is None  # demo mode signs with the demo key


@pytest.mark.parametrize("key", [DEMO_SECRET, "x" * (MIN_SECRET_CHARS - 1)])
def test_a_weak_secret_key_is_refused_outside_demo_mode(key: str) -> None:
    with pytest.raises(ValueError, match="SECRET_KEY is too weak"):
        Settings(demo_mode=False, secret_key=key)


def test_a_strong_secret_key_is_accepted() -> None:
    assert Settings(demo_mode=False, secret_key=STRONG).secret_key is not None


def test_get_settings_names_the_problem_and_not_the_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "false")
    monkeypatch.setenv("SECRET_KEY", "")
    monkeypatch.setenv("SMTP_PASSWORD", "hunter2-do-not-show")
    with pytest.raises(ConfigError, match=r"^Assist Console cannot start: SECRET_KEY is not set") as caught:
        get_settings()
    assert "hunter2" not in str(caught.value) and caught.value.__cause__ is None


def _empty_key_outside_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_MODE", "false")
    monkeypatch.setenv("SECRET_KEY", "")
    get_settings.cache_clear()


@pytest.mark.parametrize(
    "command",
    [
        ["db", "upgrade"],
        ["kb", "list"],
        ["serve", "--port", "9"],
        ["users", "add", "--email", "a@b.io", "--role", "agent"],
    ],
)
def test_every_command_refuses_an_empty_secret_key(monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    _empty_key_outside_demo(monkeypatch)
    result = CliRunner().invoke(main, command)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Error: Assist Console cannot start: SECRET_KEY is not set" in result.output


def test_the_app_refuses_an_empty_secret_key_before_the_sign_in_form(monkeypatch: pytest.MonkeyPatch) -> None:
    _empty_key_outside_demo(monkeypatch)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and not at.text_input  # no sign-in form
    assert any("SECRET_KEY is not set" in e.value.replace("\\", "") for e in at.error)


def test_the_server_launcher_refuses_an_empty_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import serve

    _empty_key_outside_demo(monkeypatch)
    monkeypatch.setattr(sys, "argv", ["ui.serve"])
    with pytest.raises(SystemExit, match=r"^Error: Assist Console cannot start: SECRET_KEY is not set"):
        serve.main()


# 13 · databases Assist Console cannot use ----------------------------------------------------------------------


def _garbage(tmp_path: Path) -> Path:
    path = tmp_path / "garbage.db"
    path.write_bytes(os.urandom(8192))  # the size of a few SQLite pages, none of them a header
    return path


def _run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("SECRET_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "assist", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )


def test_a_file_that_is_not_a_database_is_named_by_the_command_line(tmp_path: Path) -> None:
    garbage = _garbage(tmp_path)
    result = _run_cli("db", "upgrade", database_url=f"sqlite:///{garbage}")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"Error: The database at sqlite:///{garbage} cannot be read (file is not a database)" in result.stderr
    assert "restore the file from a backup" in result.stderr


def test_a_mysql_url_is_refused_by_the_command_line_with_what_to_use_instead() -> None:
    result = _run_cli("db", "upgrade", database_url="mysql://app:s3cret@db.example/support")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "Error: DATABASE_URL names a mysql database, which Assist Console does not run on." in result.stderr
    assert "postgresql://" in result.stderr and "s3cret" not in result.stderr


@settings(max_examples=60, deadline=None)
@given(
    scheme=hs.sampled_from(["mysql", "mysql+pymysql", "mariadb", "mssql+pyodbc", "oracle", "db2", "snowflake"])
    | hs.from_regex(r"[a-z][a-z0-9+]{0,15}", fullmatch=True).filter(lambda s: s.split("+")[0] not in ("sqlite",)),
    rest=hs.sampled_from(["//u:p@h/db", "///file.db", "//h:1/x?y=z", ""]),
)
def test_any_other_kind_of_database_url_is_one_clear_error(scheme: str, rest: str) -> None:
    url = f"{scheme}:{rest}"
    if scheme.split("+")[0] in ("postgresql", "postgres"):
        return  # the databases Assist Console runs on
    with pytest.raises(DatabaseError, match=r"DATABASE_URL (names a|is not a database URL)") as caught:
        make_engine(url)
    assert ":p@" not in str(caught.value)  # a password in the URL is never repeated


def test_the_app_and_the_intake_server_say_the_same_about_a_damaged_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    garbage = _garbage(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{garbage}")
    get_settings.cache_clear()
    with pytest.raises(DatabaseError) as caught:
        upgrade(make_engine(f"sqlite:///{garbage}"))
    message = str(caught.value)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and not at.text_input
    assert any(e.value.replace("\\", "").replace("\u2060", "") == message for e in at.error)
    served = CliRunner().invoke(main, ["serve", "--port", "9"])
    assert served.exit_code == 1 and f"Error: {message}" in served.output and "Traceback" not in served.output
