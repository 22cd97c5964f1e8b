"""Admin: the knowledge sources and their syncs; upload, list, delete and re-index articles; try searches."""

import streamlit as st

from assist import FORM_LIMITS, AssistError, sync_source
from ui import auth, kb_view, resources, state
from ui.format import escape_markdown
from ui.guard import guarded, show_error

state.init()
user = auth.require_role("pages/knowledge_base.py")
with guarded("the knowledge base"):
    kb = resources.knowledge_base()
settings = resources.settings()
actor = state.current_user()
st.title("Knowledge base")

status = kb.index_status()
if status.problem:
    st.warning(escape_markdown(status.problem) + " (or Re-index below)", icon=":material/warning:")

st.subheader("Sources")
source_list = st.container()  # drawn after the sync and the upload below ran, so its counts are current
configured = [s.name for s in kb.sources() if s.configured]
sync_form = st.container()

st.subheader("Upload articles")
with st.form("kb_upload", clear_on_submit=True):
    files = st.file_uploader(
        f"Markdown, text, HTML or PDF, up to {settings.kb_upload_max_mb} MB each",
        type=["md", "markdown", "txt", "html", "htm", "pdf"],
        accept_multiple_files=True,
        key="kb_files",
        max_upload_size=settings.kb_upload_max_mb,  # the widget's own limit says the same as the parser's
    )
    left, right = st.columns(2)
    with left:
        category = kb_view.category_choice(
            "Category (when the file does not say)", "kb_upload_category", allow_any=True
        )
    product = right.text_input(
        "Product (when the file does not say)",
        value="all",
        key="kb_upload_product",
        max_chars=FORM_LIMITS.article_product,
    )
    submitted = st.form_submit_button("Ingest", type="primary", key="kb_ingest")
if submitted:
    if not files:
        st.warning("Choose at least one file to upload.")
    else:
        bar = st.progress(0.0, text="Reading files…")
        try:
            report = kb.ingest_files(
                [(f.name, f.getvalue()) for f in files],
                actor=actor,
                category=category,
                product=product or None,
                progress=kb_view.progress_reporter(bar),
            )
        except AssistError as e:
            show_error(e)
        else:
            bar.empty()
            kb_view.ingest_report(report)

if configured:
    with sync_form, st.form("kb_sync"):
        chosen = st.selectbox("Sync a source now", configured, key="kb_sync_source")
        if st.form_submit_button("Sync", key="kb_sync_button"):
            bar = st.progress(0.0, text=escape_markdown(f"Syncing {chosen}…"))
            try:
                synced = sync_source(kb, chosen, actor=actor, progress=kb_view.progress_reporter(bar))
            except AssistError as e:
                show_error(e)  # also recorded on the source, which the list above now shows
            else:
                kb_view.ingest_report(synced.report)
            finally:
                bar.empty()
with source_list:
    kb_view.source_table(kb.sources())

st.subheader("Articles")
articles = kb.list_articles()
kb_view.article_table(articles)
if articles:
    left, right = st.columns(2)
    with left, st.form("kb_delete"):
        doomed = st.selectbox("Delete an article", [a.id for a in articles], key="kb_delete_id")
        sure = st.checkbox("Yes, remove it from search", key="kb_delete_confirm")
        if st.form_submit_button("Delete", key="kb_delete_button"):
            if not sure:
                st.warning("Tick the confirmation box to delete.")
            else:
                try:
                    kb.delete(doomed, actor=actor)
                except AssistError as e:
                    show_error(e)
                else:
                    st.toast(f"Deleted {doomed}")
                    st.rerun()
    with right:
        st.caption("Re-index re-chunks and re-embeds every article from its stored text.")
        if st.button("Re-index all", key="kb_reindex"):
            bar = st.progress(0.0, text="Re-indexing…")
            try:
                report = kb.reindex(actor=actor, progress=kb_view.progress_reporter(bar))
            except AssistError as e:
                show_error(e)
            else:
                bar.empty()
                kb_view.ingest_report(report)

st.subheader("Search tester")
with st.form("kb_search"):
    query = st.text_input("A customer question", key="kb_search_query", max_chars=FORM_LIMITS.kb_query)
    left, right = st.columns(2)
    with left:
        search_category = kb_view.category_choice("Category", "kb_search_category", allow_any=True)
    k = right.slider("Articles", 1, 10, 5, key="kb_search_k")
    searched = st.form_submit_button("Search", key="kb_search_button")
if searched:
    try:
        kb_view.hits(kb.search(query, k=k, category=search_category))
    except AssistError as e:
        show_error(e)
