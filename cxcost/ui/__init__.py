"""The Streamlit app: widgets, tabs and their wiring. The only package that imports streamlit."""

from cxcost.ui.app import main

__all__ = ["main"]
