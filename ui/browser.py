"""The little the app needs the browser itself to do: keep the session cookie, keep what is typed in a
reply box for this tab until Streamlit has it, and take the invisible joiners out of what an agent copies.

Streamlit 1.67 reads cookies (`st.context.cookies`, as they were when the tab connected) but cannot set
them, and a text area hands its value to the server only on blur or Ctrl+Enter, so text typed just before
a reload never reaches it. Both are done by a few lines of script (`st.html(..., unsafe_allow_javascript=
True)`, which runs in the page itself, not in an iframe). The scripts carry only values the app made
(a signed token, numbers, widget keys), written as JSON; never anything a customer or a user typed.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

SESSION_COOKIE = "assist_session"
REPLY_STORE = "assist-unsent:"  # sessionStorage keys: assist-unsent:<user id>:<ticket id>
_HOLDER = "browser_script"  # the containers holding the scripts, hidden (a script shows nothing anyway)


def _run(where: DeltaGenerator, name: str, script: str, **values: object) -> None:
    """Run `script` in the page with `values` bound as JS constants, once each time the values change
    (Streamlit re-runs an html element's scripts only when its body changes)."""
    bound = "".join(f"const {k} = {_js(v)};\n" for k, v in values.items())
    with where.container(key=f"{_HOLDER}_{name}"):
        st.html(
            f'<style>[class*="st-key-{_HOLDER}_"] {{display: none}}</style>'
            f"<script>(() => {{\n{bound}{script}\n}})();</script>",
            unsafe_allow_javascript=True,
        )


def _js(value: object) -> str:
    return json.dumps(value).replace("</", "<\\/")  # a JSON string cannot end the script element


def clean_copies(where: DeltaGenerator) -> None:
    """What an agent copies from the screen is what was written. `ui.format.escape_markdown` puts an invisible
    WORD JOINER (U+2060) before "@", after an escaped ":" and inside "www", so the renderer cannot turn
    customer text into links or icons; it would otherwise travel with a copy (a pasted address would be wrong).
    One listener per page load takes the joiners out of every copy."""
    _run(
        where,
        "clipboard",
        """if (window.assistCleanCopies) return;
window.assistCleanCopies = true;
document.addEventListener("copy", (event) => {
  const text = String(window.getSelection());
  if (!text.includes("\\u2060") || !event.clipboardData) return;
  event.clipboardData.setData("text/plain", text.replaceAll("\\u2060", ""));
  event.preventDefault();
});""",
    )


def set_session_cookie(where: DeltaGenerator, token: str, *, max_age_s: int) -> None:
    """Keep the session token in a cookie: first-party only (SameSite=Strict), Secure over https, for the
    whole app (Path=/), gone after `max_age_s` (the inactivity limit; the token itself says so too)."""
    _run(
        where,
        "session",
        f"""document.cookie = `{SESSION_COOKIE}=${{token}}; Path=/; Max-Age=${{age}}; SameSite=Strict`
            + (location.protocol === "https:" ? "; Secure" : "");""",
        token=token,
        age=max_age_s,
    )


def forget_session() -> None:
    """Signed out: the session cookie goes, and so does every reply this tab kept (the server still keeps what
    reached it, for the person who typed it)."""
    _run(
        st,
        "signed_out",
        f"""document.cookie = "{SESSION_COOKIE}=; Path=/; Max-Age=0; SameSite=Strict"
            + (location.protocol === "https:" ? "; Secure" : "");
        Object.keys(sessionStorage)
            .filter(k => k.startsWith("{REPLY_STORE}"))
            .forEach(k => sessionStorage.removeItem(k));""",
    )


def keep_reply_in_tab(where: DeltaGenerator, *, user_id: int, ticket_id: int, editor: str) -> None:
    """Every keystroke in the reply box `editor` is kept in this tab's sessionStorage (it survives a reload,
    and goes with the tab). After a reload, text the server never got is put back in the box and handed to
    Streamlit (a blur), so the server keeps it too. A backup from another editor of the ticket (the reply was
    sent, or the ticket moved on and the agent took the text over) is dropped, never restored."""
    _run(
        where,
        f"reply_{ticket_id}",
        """
        const find = () => document.querySelector(`.st-key-${editor} textarea`);
        let tries = 0;
        const wire = () => {
            const box = find();
            if (!box) { if (tries++ < 100) setTimeout(wire, 100); return; }
            if (box.dataset.keptIn === store) return;
            box.dataset.keptIn = store;
            let saved = null;
            try { saved = JSON.parse(sessionStorage.getItem(store) || "null"); } catch (e) { saved = null; }
            if (saved && saved.editor === editor && typeof saved.text === "string" && saved.text !== box.value) {
                const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, "value").set;
                setValue.call(box, saved.text);
                box.dispatchEvent(new Event("input", { bubbles: true }));
                // Streamlit takes a text area's value when it loses focus, if the box is marked changed. That
                // mark is React state the input event sets on the next render: a blur in the same task met the
                // handler of before, which saw nothing changed, and the text never reached the server (on a
                // loaded machine, every time). So the blur waits for a later task, after the render.
                setTimeout(() => {
                    box.focus();
                    box.blur();
                    box.dataset.handedOver = "true";
                }, 50);
            } else if (saved && saved.editor !== editor) {
                sessionStorage.removeItem(store);
            }
            box.addEventListener("input", () =>
                sessionStorage.setItem(store, JSON.stringify({ editor: editor, text: box.value })));
        };
        wire();""",
        store=f"{REPLY_STORE}{user_id}:{ticket_id}",
        editor=editor,
    )


@functools.cache
def _chart_chunk() -> str | None:
    """The file name of Streamlit's plotly chunk (`PlotlyChart.<hash>.js`, next to its entry script), read from
    the installed package, so an upgrade that renames it needs no change here; None if there is none."""
    found = sorted((Path(st.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js"))
    return found[0].name if found else None


def preload_charts(where: DeltaGenerator) -> None:
    """Load the chart library in this tab while it is idle, for someone who may open Metrics. Streamlit loads
    its plotly chunk (4.7 MB) only when a page first draws a chart: on two cores, a lead's first Metrics open
    spent about 0.8 s of its 1.6-2.1 s compiling and running it, after the figures had arrived. Imported ahead
    by the same URL Streamlit's entry script uses, the chunk is one module: the Metrics page finds it loaded."""
    chunk = _chart_chunk()
    if chunk is None:
        return
    _run(
        where,
        "charts",
        """if (window.assistChartsPreloaded) return;
window.assistChartsPreloaded = true;
const entry = document.querySelector('script[type="module"][src*="/static/js/index."]');
if (!entry) return;
const load = () => import(new URL(`./${chunk}`, entry.src).href).catch(() => {});
if (window.requestIdleCallback) requestIdleCallback(load, { timeout: 5000 }); else setTimeout(load, 2000);""",
        chunk=chunk,
    )
