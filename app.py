"""cxcost: the cost of bad service. Run with `streamlit run app.py`."""

import streamlit as st

st.set_page_config(page_title="cxcost", layout="wide")
st.title("cxcost")
