"""The Streamlit app: widgets, tabs and their wiring. The only package that imports streamlit.

It imports nothing itself: ``cxcost.ui.warm`` is imported before the server listens,
and the app (``cxcost.ui.app.main``) is imported by the thread it starts.
"""
