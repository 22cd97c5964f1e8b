"""Ticket import on the inbox page: upload an export, check the column mapping, import."""

from __future__ import annotations

import streamlit as st

from assist import AssistError, ImportField, MaskRules, guess_mapping, import_rows, precompute_many, read_rows
from ui import resources, state
from ui.format import escape_markdown, plural
from ui.guard import show_error

NONE = "— not in this file —"


def import_panel() -> None:
    settings = resources.settings()
    with st.expander("⬆️ Import tickets from a helpdesk export (CSV or JSON)"):
        upload = st.file_uploader(
            "Export file", type=["csv", "json"], key="intake_file", max_upload_size=settings.kb_upload_max_mb
        )
        if upload is None:
            st.caption(
                "Columns are recognised by their usual names (Zendesk, Freshdesk, Help Scout); "
                "rows whose external id already exists are added to that ticket as follow-ups."
            )
            return
        try:
            rows = read_rows(upload.name, upload.getvalue(), max_bytes=settings.kb_upload_max_mb * 1_000_000)
        except AssistError as e:
            show_error(e)
            return
        columns = list(rows[0])
        guessed = guess_mapping(columns)
        mapping: dict[ImportField, str] = {}
        grid = st.columns(4)
        for n, field in enumerate(ImportField):
            options = [NONE, *columns]
            default = options.index(guessed[field]) if field in guessed else 0
            chosen = grid[n % 4].selectbox(
                field.value.replace("_", " "), options, index=default, key=f"intake_map_{field.value}"
            )
            if chosen != NONE:
                mapping[field] = chosen
        st.caption(escape_markdown(f"{plural(len(rows), 'row')} in {upload.name}"))
        if st.button("Import", type="primary", key="intake_import"):
            try:
                with st.spinner(f"Importing {plural(len(rows), 'row')}…"):
                    report = import_rows(
                        resources.engine(),
                        rows,
                        mapping=mapping,
                        actor=state.current_user(),
                        max_chars=settings.max_message_chars,
                        masking=MaskRules.from_settings(settings),
                        holdout_percent=settings.assist_holdout_percent,
                    )
            except AssistError as e:
                show_error(e)
                return
            st.success(
                f"Imported {plural(len(report.created), 'new ticket')} and {plural(len(report.appended), 'follow-up')}."
            )
            for error in report.errors[:50]:
                st.error(escape_markdown(f"Row {error.row}: {error.error}"))
            for warning in report.warnings[:50]:
                st.warning(escape_markdown(f"Row {warning.row} (imported): {warning.error}"))
            todo = [*report.created, *report.appended]
            if todo:
                bar = st.progress(0.0, text="Preparing assistance…")
                precompute_many(
                    resources.assistant(),
                    ticket_ids=todo,
                    progress=lambda done, total, what: bar.progress(done / total, text=what),
                )
                bar.empty()
