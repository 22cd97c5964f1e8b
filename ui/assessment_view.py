"""The assessment beside a ticket: category and sentiment, the escalation suggestion, the articles."""

from __future__ import annotations

import streamlit as st

from assist import AssistError, Escalation, Hit, KnowledgeBase, Queue, Sentiment, Triage
from ui.format import escape_markdown, kb_text, priority_badge
from ui.guard import show_error

LEVEL_ICONS = {
    "positive": ":material/sentiment_satisfied:",
    "neutral": ":material/sentiment_neutral:",
    "frustrated": ":material/sentiment_dissatisfied:",
    "angry": ":material/sentiment_very_dissatisfied:",
    "urgent": ":material/alarm:",
}


def triage_and_sentiment(triage: Triage, sentiment: Sentiment, priority: int) -> None:
    intent = f" · intent {escape_markdown(triage.intent)}" if triage.intent else ""
    st.markdown(
        f"**Category** {triage.category.label} ({triage.category_confidence:.0%}, {triage.method.value}){intent}  \n"
        f"{priority_badge(priority)}  \n"
        f"**Sentiment** {LEVEL_ICONS[sentiment.level.value]} {sentiment.level.value} · "
        f"tone {sentiment.tone} ({sentiment.score:+.2f})"
    )
    st.progress(sentiment.frustration, text=f"Frustration {sentiment.frustration:.0%}")
    if sentiment.complaint >= 0.5:
        st.caption(f":material/report: Reports a problem ({sentiment.complaint:.0%})")
    if sentiment.signals:
        st.caption(
            "Signals: "
            + "; ".join(
                f"{s.value.replace('_', ' ')} ({escape_markdown(sentiment.evidence.get(s.value, ''))})"
                for s in sentiment.signals
            )
        )


def escalation_panel(escalation: Escalation, *, owned: bool = False) -> None:
    if owned and not escalation.suggest and escalation.queue is Queue.AUTO:
        st.info(escape_markdown(escalation.suggested_action), icon=":material/person:")
        return
    if not escalation.suggest:
        st.success("No escalation needed: " + escalation.suggested_action, icon=":material/check_circle:")
        return
    st.warning(
        f"**Suggest escalating** to {escalation.queue.label} · {escalation.priority.value} priority  \n"
        + "  \n".join(f"• {r}" for r in escalation.reasons)
        + f"  \n**Suggested action:** {escalation.suggested_action}",
        icon=":material/priority_high:",
    )


def articles(hits: tuple[Hit, ...], kb: KnowledgeBase) -> None:
    st.markdown(f"#### Knowledge base ({len(hits)})")
    if not hits:
        st.info("No article matches this ticket. Consider writing one (admins: Knowledge base page).")
    for n, hit in enumerate(hits, start=1):
        with st.expander(f"[{n}] {escape_markdown(hit.title)} — {hit.score:.2f}", expanded=n == 1):
            st.caption(escape_markdown(f"{hit.article_id} · {hit.category} · updated {hit.updated}"))
            for passage in hit.passages[:1]:
                st.markdown(kb_text(passage.text))
            if st.toggle("Full article", key=f"full_{hit.article_id}"):
                try:
                    st.markdown(kb_text(kb.get_article(hit.article_id).body))  # uploaded text: shown literally
                except AssistError as e:
                    show_error(e)
