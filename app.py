"""Assist Console entry point: page setup and navigation."""

import streamlit as st

st.set_page_config(page_title="Assist Console", page_icon="🎧", layout="wide")

pages = [
    st.Page("pages/inbox.py", title="Inbox", icon="📥", default=True),
    st.Page("pages/escalations.py", title="Escalations", icon="🚨"),
    st.Page("pages/metrics.py", title="Metrics", icon="📊"),
    st.Page("pages/knowledge_base.py", title="Knowledge base", icon="📚"),
    st.Page("pages/survey.py", title="Survey", icon="⭐", url_path="survey"),
]
st.navigation(pages).run()
