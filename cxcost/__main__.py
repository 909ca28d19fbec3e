"""``python -m cxcost``: the command-line interface (see :mod:`cxcost.cli`)."""

from cxcost.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
