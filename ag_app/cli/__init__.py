"""The one ``ag-app`` command: migrations, demo data, imports, jobs and benchmarks.

Commands live in modules by job; groups of sub-commands are Typer apps of their own. Both are
registered below in one place, in the order ``ag-app --help`` lists them.
"""

# isort: off
# Commands of the root app (they register on import): running the platform, loading registries,
# checking published files.
from ag_app.cli import system, imports, verify  # noqa: F401

# isort: on
from ag_app.cli.bench import bench_app
from ag_app.cli.jobs import jobs_app
from ag_app.cli.promo import promo_app
from ag_app.cli.root import app

# The sub-command groups.
app.add_typer(bench_app, name="bench")
app.add_typer(promo_app, name="promo")
app.add_typer(jobs_app, name="jobs")

__all__ = ["app"]
