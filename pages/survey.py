"""Public CSAT survey behind a signed link (/survey?t=...): the only page without sign-in."""

import streamlit as st

from assist import FORM_LIMITS, SurveyError, submit_rating, survey_subject
from ui import auth, resources

auth.startup_gate()  # the one page without sign-in still needs SECRET_KEY to check its links
st.title("How did we do?")
token = st.query_params.get("t", "")
if not token:
    st.error("This page needs the survey link from our email.")
    st.stop()
if st.session_state.get("survey_done") == token:
    st.success("Thank you! Your rating helps us improve.")
    st.stop()
engine, settings = resources.engine(), resources.settings()
try:
    subject = survey_subject(engine, token=token, settings=settings)
except SurveyError as e:
    st.info(str(e))
    st.stop()
st.write("Your request:")
st.text(subject)
with st.form("survey"):
    # No rating preselected: a rating is the customer's choice, never a default.
    score = st.radio(
        "Your rating",
        [5, 4, 3, 2, 1],
        index=None,
        key="survey_score",
        horizontal=True,
        format_func=lambda s: "★" * s,
    )
    comment = st.text_area(
        "Anything we could do better? (optional)", key="survey_comment", max_chars=FORM_LIMITS.survey_comment
    )
    if st.form_submit_button("Send rating", type="primary", key="survey_submit"):
        try:
            submit_rating(engine, token=token, score=score, comment=comment, settings=settings)
        except SurveyError as e:
            st.info(str(e))
        else:
            st.session_state.survey_done = token
            st.rerun()
