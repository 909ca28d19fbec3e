"""cxcost: the cost of bad service. Run with `streamlit run app.py`."""

import streamlit as st

if __name__ == "__main__":
    # A session's script run: draw the app.
    from cxcost.ui.app import main

    st.set_page_config(page_title="cxcost – the cost of bad service", page_icon="📞", layout="wide")
    main()
elif __name__ != "__mp_main__":
    # `streamlit run app.py` imports this file as a module to find the server (st.App):
    # this one readies the process while the first page loads (cxcost.ui.warm). A
    # worker process of the app (cxcost.ui.background) that starts while a script run
    # holds ``__main__`` imports this file as ``__mp_main__``: it makes neither.
    from cxcost.ui.warm import lifespan

    app = st.App(__file__, lifespan=lifespan)
