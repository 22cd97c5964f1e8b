"""What an agent copies from the screen is what was written.

`escape_markdown` puts an invisible WORD JOINER (U+2060) before "@", after an escaped ":" and inside "www",
so the renderer cannot turn customer text into links or icons; the joiner would otherwise travel with a
copy, and an address pasted into a mail client would be wrong. One listener on the page takes the joiners
out of every copy.
"""

from __future__ import annotations

import streamlit as st

_HOLDER = "clipboard_script"
_SCRIPT = """<script>
if (!window.assistCleanCopies) {
  window.assistCleanCopies = true;
  document.addEventListener("copy", (event) => {
    const text = String(window.getSelection());
    if (!text.includes("\\u2060") || !event.clipboardData) return;
    event.clipboardData.setData("text/plain", text.replaceAll("\\u2060", ""));
    event.preventDefault();
  });
}
</script>"""


def clean_copies() -> None:
    """Install the listener (once per page load; later reruns find it installed). Its element is hidden, so it
    takes no room (a visible empty element still gets the layout's gap and pushed the reply box down)."""
    with st.container(key=_HOLDER):
        st.html(f"<style>.st-key-{_HOLDER} {{display: none}}</style>{_SCRIPT}", unsafe_allow_javascript=True)
