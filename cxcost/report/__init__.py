"""Charts and exports built from model results; no streamlit here."""
