"""The app in a real browser, for the browser tests, `bench browser` and the README walkthrough: a demo
workspace prepared from the command line, the app served as `make run` serves it, and the few gestures
every script repeats (sign in, wait for a rerun, open a ticket from the list).

Debian's chromium driven by playwright; never `playwright install`, which would download a browser.
Playwright is imported by the callers, so this module loads without it.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HEADER_PX, ROW_PX = 35, 35  # the heights of a Streamlit dataframe's header and rows
STATUS_GONE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
WIDGET_SENDS_MS = 100  # a widget the action changed may send its value a moment after the gesture


def prepare_demo(env: dict[str, str], *, imports: Sequence[Path] = ()) -> None:
    """Seed the demo into `env`'s workspace, ingest the knowledge base, import `imports` (ticket CSVs) and
    precompute every open ticket, as a team would from the command line. The commands run one after another in
    one interpreter, which imports torch and transformers once instead of once a command."""
    steps = [
        ["seed-demo"],
        ["kb", "ingest", "kb_docs"],
        *(["tickets", "import", str(path)] for path in imports),
        ["precompute", "--open", "--quiet"],
    ]
    script = "from assist.cli import main\nfor args in {steps!r}:\n    main(args, standalone_mode=False)\n"
    done = subprocess.run(
        [sys.executable, "-c", script.format(steps=steps)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(f"preparing the demo workspace failed:\n{done.stdout[-2000:]}{done.stderr[-4000:]}")


@contextmanager
def serve(env: dict[str, str], port: int, *, ready_within_s: float = 300) -> Iterator[str]:
    """The app as `make run` starts it (`python -m ui.serve`) on loopback `port`, yielded as its URL once it
    says the models are ready; stopped afterwards. Fails with the server's last words if it never is."""
    server = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--port", str(port), "--address", "127.0.0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    said: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            said.append(line)
            if "is ready at" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout=ready_within_s):
            raise RuntimeError("the app never said it was ready:\n" + "".join(said[-20:]))
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


# Installed in a tab before the app's scripts (`watch_socket`): when the app's websocket last sent and last received
# a frame. A rerun is asked for with a frame sent, and the server answers at once (the script is running) and
# streams what it draws until the script is done.
SOCKET_WATCH = """(() => {
  const seen = (window.__assistSocket = {sent: 0, received: 0});
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { seen.received = performance.now(); });
    }
    send(data) { seen.sent = performance.now(); return super.send(data); }
  };
})();"""
# Done: the script is idle and every element's code has loaded (no skeleton: a table's or a chart's code arrives
# over HTTP when first drawn), and either the server answered the last frame sent and nothing arrived for
# `answeredMs` (React has applied the last message), or, after an action that asked for nothing, the socket was
# quiet for `quietMs`. What an element draws after that (a table's rows on its canvas) a test waits for itself.
SETTLED = """([answeredMs, quietMs]) => {
  const seen = window.__assistSocket, now = performance.now();
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"]');
  return idle && ((seen.received > seen.sent && now - seen.received > answeredMs)
    || now - Math.max(seen.sent, seen.received) > quietMs);
}"""
ANSWERED_MS, QUIET_MS = 200, 1500
NEXT_PAINT = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def watch_socket(context: Any) -> None:
    """Let `settle` wait on the app's websocket in every tab of playwright `context` opened from now on, instead of
    fixed pauses (the browser tests' tabs; `bench browser` keeps the pauses its figures were measured with)."""
    context.add_init_script(SOCKET_WATCH)


def settle(page: Any, *, before_ms: int = 400, after_ms: int = 600) -> None:
    """Wait until Streamlit has finished the rerun the last action started. In a tab `watch_socket` saw open: until
    the server has answered and the script is idle, then the next paint (about the rerun's own time, plus 0.2 s).
    Elsewhere: `before_ms` for the rerun to begin, the status widget gone, then `after_ms`."""
    if page.evaluate("() => window.__assistSocket !== undefined"):
        page.wait_for_timeout(WIDGET_SENDS_MS)
        page.wait_for_function(SETTLED, arg=[ANSWERED_MS, QUIET_MS], timeout=120_000, polling=50)
        page.evaluate(NEXT_PAINT)
        return
    page.wait_for_timeout(before_ms)
    page.wait_for_function(STATUS_GONE, timeout=120_000)
    page.wait_for_timeout(after_ms)


def sign_in(page: Any, email: str, password: str) -> None:
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()
    settle(page)


def button(page: Any, label: str) -> Any:
    """A button by its label alone (its accessible name also holds the icon's name and the shortcut)."""
    return page.get_by_role("button").filter(has=page.get_by_text(label, exact=True))


def click_row(page: Any, row: int, *, column_x: int = 200) -> None:
    """Click a cell of the first table on the page (the subject column of the inbox list)."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.locator("[role=row]").nth(row + 1).wait_for(state="attached")  # drawn: the canvas takes clicks
    grid.click(position={"x": column_x, "y": HEADER_PX + ROW_PX * row + 17})


def open_ticket(page: Any, ticket_id: int) -> None:
    """Open `ticket_id` from the inbox, searching the list for it as an agent would."""
    inbox = page.get_by_role("link", name="Inbox")
    if inbox.count():  # an agent has only the inbox, and Streamlit shows no menu for a single page
        inbox.click()
        settle(page)
    list_button = button(page, "List")
    if list_button.count():  # a ticket is open: back to the list first
        list_button.click()
        settle(page)
    search = page.get_by_role("textbox", name="Search")
    search.fill(f"#{ticket_id}")
    search.press("Enter")
    settle(page)
    click_row(page, 0)
    page.get_by_text(f"#{ticket_id} ·").first.wait_for()
    settle(page)
