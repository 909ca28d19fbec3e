"""cxcost: the cost of bad service. Run with `streamlit run app.py`."""

import streamlit as st

import cxcost.ui

# A worker process of the app (cxcost.ui.background) that starts while a script run
# holds ``__main__`` imports this file as ``__mp_main__``: it must not draw an app.
if __name__ != "__mp_main__":
    st.set_page_config(page_title="cxcost – the cost of bad service", page_icon="📞", layout="wide")
    cxcost.ui.main()
