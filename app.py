"""Assist Console entry point: sign-in, then the pages the user's role allows."""

import streamlit as st

from assist.config import signing_key
from assist.errors import AssistError
from ui import auth, resources

st.set_page_config(page_title="Assist Console", page_icon="🎧", layout="wide")

try:
    signing_key(resources.settings())  # outside demo mode SECRET_KEY is required: say so before any page
except AssistError as e:
    st.error(str(e))
    st.stop()

survey = st.Page("pages/survey.py", title="Survey", icon="⭐", url_path="survey")
user = auth.signed_in_user()
if user is None:
    # Signed out: only the sign-in form and the public survey page (reached through its link) exist.
    st.navigation(
        [st.Page(auth.login_page, title="Sign in", url_path="signin", default=True), survey], position="hidden"
    ).run()
else:
    titles = {
        "pages/inbox.py": ("Inbox", "📥"),
        "pages/escalations.py": ("Escalations", "🚨"),
        "pages/metrics.py": ("Metrics", "📊"),
        "pages/knowledge_base.py": ("Knowledge base", "📚"),
        "pages/admin.py": ("Admin", "🛠️"),
    }
    allowed = [
        st.Page(path, title=title, icon=icon, default=path == "pages/inbox.py")
        for path, (title, icon) in titles.items()
        if user.role in auth.PAGES[path]
    ]
    auth.sidebar(user)
    st.navigation(allowed).run()
