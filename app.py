"""Assist Console entry point: sign-in, then the pages the user's role allows."""

import streamlit as st

from ui import auth, browser, resources

st.set_page_config(page_title="Assist Console", page_icon=":material/support_agent:", layout="wide")
browser.clean_copies(st.container())

auth.startup_gate()  # outside demo mode SECRET_KEY is required: say so before any page
resources.models_ready()  # starts loading the models in the background if the launcher did not

survey = st.Page("pages/survey.py", title="Survey", icon=":material/star:", url_path="survey")
user = auth.signed_in_user()
if user is None:
    # Signed out: only the sign-in form and the public survey page (reached through its link) exist.
    st.navigation(
        [st.Page(auth.login_page, title="Sign in", url_path="signin", default=True), survey], position="hidden"
    ).run()
else:
    titles = {
        "pages/inbox.py": ("Inbox", ":material/inbox:"),
        "pages/escalations.py": ("Escalations", ":material/priority_high:"),
        "pages/metrics.py": ("Metrics", ":material/monitoring:"),
        "pages/knowledge_base.py": ("Knowledge base", ":material/menu_book:"),
        "pages/admin.py": ("Admin", ":material/admin_panel_settings:"),
    }
    allowed = [
        st.Page(path, title=title, icon=icon, default=path == "pages/inbox.py")
        for path, (title, icon) in titles.items()
        if user.role in auth.PAGES[path]
    ]
    auth.sidebar(user)
    if user.role in auth.PAGES["pages/metrics.py"]:
        browser.preload_charts(st.sidebar)  # the chart library is ready before a lead's first Metrics open
    st.navigation(allowed).run()
