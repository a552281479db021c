"""A mistyped argument of import_registry is one line and exit status 2, not a traceback."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_since_that_is_not_a_date_is_one_line_and_exit_status_2(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "import_registry", "cma", "--since", "yesterday"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert errors == [
        "manage.py import_registry: error: argument --since: expected a date as YYYY-MM-DD, "
        "got 'yesterday'"
    ]
