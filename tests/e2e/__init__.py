"""Browser tests (a package: its conftest is ``e2e.conftest``, beside tests/conftest.py)."""
