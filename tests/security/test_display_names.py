"""Issue 31, findings 19 and 20: names from outside show as stored, literally.

19: bidi overrides in a customer's name displayed "redner" as "render". Every display of outside text goes
    through `ui.format.display_text` (directly in tables and option lists, or inside `escape_markdown`),
    which drops bidi controls and every other invisible format character (category Cf).
20: a user's display name rendered as markdown in the sidebar (an image was fetched). Every name shown in
    markdown goes through `escape_markdown`; a static check finds any st.* call that would show one raw.
"""

from __future__ import annotations

import ast
import re
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from hypothesis import given, settings
from hypothesis import strategies as hs
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from assist.config import get_settings
from assist.domain import Role
from assist.users import OPERATOR, create_user
from ui import warmup
from ui.format import display_text, escape_markdown

ROOT = Path(__file__).parents[2]
FORMAT = hs.characters(categories=["Cf"])  # every invisible format character: bidi controls, joiners, tags...
KEPT = {"\u200c", "\u200d"}  # the zero-width (non-)joiners that Persian, Indic scripts and emoji need
OURS = "\u2060"  # the word joiner escape_markdown inserts to break linkification
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _visible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf" or c in KEPT)


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace(OURS, "")


# 19 · bidi and invisible characters --------------------------------------------------------------------------


def test_a_right_to_left_override_no_longer_turns_redner_into_render() -> None:
    assert display_text("\u202eredner") == "redner"
    assert _unescaped(escape_markdown("Ms \u202eredner\u202c Smith")) == "Ms redner Smith"


@settings(max_examples=300, deadline=None)
@given(parts=hs.lists(hs.one_of(FORMAT, hs.sampled_from(BIDI), hs.text(min_size=1, max_size=5)), max_size=12))
def test_no_bidi_or_invisible_format_character_reaches_the_screen(parts: list[str]) -> None:
    text = "".join(parts)
    shown = display_text(text)
    assert not any(unicodedata.category(c) == "Cf" and c not in KEPT for c in shown)
    assert shown == _visible(text)  # everything visible stays, in the order it was stored
    escaped = escape_markdown(text)
    assert not any(unicodedata.category(c) == "Cf" and c not in KEPT | {OURS} for c in escaped)
    assert not any(c in BIDI for c in escaped)


@settings(max_examples=100, deadline=None)
@given(text=hs.text(alphabet=hs.characters(categories=["L", "N", "Zs"]), max_size=40))
def test_text_without_format_characters_is_shown_unchanged(text: str) -> None:
    assert display_text(text) == text
    assert _unescaped(escape_markdown(text)) == text


# 20 · names in markdown ------------------------------------------------------------------------------------------

HOSTILE_NAME = "![beacon](http://127.0.0.1:9/pixel.png) [click](http://evil.example) **Boss** :material/lock:"


@pytest.fixture
def app_env(sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", sqlite_engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("CHROMA_PATH", str(tmp_path / "chroma"))
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()
    yield
    st.cache_resource.clear()
    get_settings.cache_clear()
    warmup.reset()


def test_a_markdown_display_name_shows_as_literal_text_in_the_sidebar(sqlite_engine: Engine, app_env: None) -> None:
    user = create_user(
        sqlite_engine, email="boss@lumen.app", name=HOSTILE_NAME, role=Role.AGENT, password="p" * 12, actor=OPERATOR
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["user"], at.session_state["last_seen"] = user, time.time()
    at.run()
    signed_in = next(m.value for m in at.sidebar.markdown if m.value.startswith("Signed in as"))
    assert _unescaped(signed_in) == f"Signed in as **{HOSTILE_NAME}** (agent)".replace("**Boss**", "**Boss**")
    name_part = signed_in.removeprefix("Signed in as **").removesuffix("** (agent)")
    assert not re.search(r"(?<!\\)[!\[\]()*:]", name_part)  # no unescaped markdown or icon syntax is left


# Streamlit calls whose text is rendered as markdown (their first argument, or `label`).
MARKDOWN_CALLS = {
    "markdown", "caption", "write", "info", "warning", "error", "success", "toast", "title", "header",
    "subheader", "expander", "button", "checkbox", "toggle", "popover", "text_input", "text_area", "selectbox",
    "radio", "download_button", "form_submit_button", "metric", "tabs",
}  # fmt: skip
NAMES = re.compile(r"(^|_)(name|email|subject|title)s?$|^reasons?$")
SAFE = {"escape_markdown", "plural", "kb_text"}  # what may wrap outside text inside markdown
# Looked at by hand: these hold the product's own words, or text escaped piece by piece just before.
REVIEWED = {
    ("ui/macro_view.py", "name"): "the placeholder names (PLACEHOLDERS)",
    ("ui/metrics_view.py", "name"): "the chart's file name, chosen by the page",
    ("ui/metrics_view.py", "title"): "the chart's title, chosen by the page",
    ("ui/ticket_view.py", "names"): "each viewer's name through escape_markdown on the line above",
}


def _raw_names(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Outside text (a name, an address, a subject) formatted into a markdown-rendering st.* call unescaped."""
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in MARKDOWN_CALLS:
            for arg in call.args[:1] + [k.value for k in call.keywords if k.arg in ("label", "body")]:
                yield from ((call.lineno, shown) for shown in _unescaped_values(arg))


def _unescaped_values(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Call) and _called(node) in SAFE:
        return  # escaped as a whole
    if isinstance(node, ast.FormattedValue) and _mentions_name(node.value):
        yield ast.unparse(node.value)
        return
    for child in ast.iter_child_nodes(node):
        yield from _unescaped_values(child)


def _mentions_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Call):
        if _called(node) in SAFE:
            return False
        inner = [node.func.value] if isinstance(node.func, ast.Attribute) else []  # a method's name is no name
        return any(_mentions_name(n) for n in [*inner, *node.args, *(k.value for k in node.keywords)])
    if isinstance(node, ast.Attribute):
        return bool(NAMES.search(node.attr)) or _mentions_name(node.value)
    if isinstance(node, ast.Name):
        return bool(NAMES.search(node.id))
    return any(_mentions_name(n) for n in ast.iter_child_nodes(node))


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT).as_posix()
        for p in [ROOT / "app.py", *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]
    ),
)
def test_no_page_shows_a_name_in_markdown_without_escaping_it(path: str) -> None:
    raw = [
        (line, shown)
        for line, shown in _raw_names(ast.parse((ROOT / path).read_text()))
        if (path, shown) not in REVIEWED
    ]
    assert raw == [], f"{path}: shown as markdown without escape_markdown: {raw}"
