"""Small Streamlit helpers shared by the pages: cached resources, session state, formatting."""
