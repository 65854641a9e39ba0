"""``python -m ag_app.cli``: the same as ``ag-app``."""

from ag_app.cli import app

app()
