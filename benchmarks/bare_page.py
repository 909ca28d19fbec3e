"""The peer of the new-session figure: a bare Streamlit page, a title and four metrics.

``benchmarks/browser_latency.py`` serves it with ``streamlit run benchmarks/bare_page.py``
from the repository's root, so with cxcost's own server settings
(``.streamlit/config.toml``), and opens it in turn with the app: what any Streamlit page
costs a new session on the same machine at the same moment, beside the app's figure.
Like the app, it turns Nagle's algorithm off on the server's connections
(``cxcost.ui.nodelay``); without that each page file waits about 40 ms.
"""

import streamlit as st

from cxcost.ui import nodelay

nodelay.disable_nagle_once()
st.set_page_config(page_title="A bare Streamlit page", layout="wide")
st.title("A bare Streamlit page")
for column, number in zip(st.columns(4), range(1, 5), strict=True):
    column.metric(f"Figure {number}", f"USD {number}M")
