"""cxcost: the cost of bad service. Run with `streamlit run app.py`."""

import streamlit as st

import cxcost.ui

st.set_page_config(page_title="cxcost – the cost of bad service", page_icon="📞", layout="wide")
cxcost.ui.main()
