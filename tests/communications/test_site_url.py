"""`make run` gives poster QR codes and newsletter links the address it serves on."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _run_target(tmp_path, **environment) -> str:
    """Run `make run PORT=8766` with a stand-in python that prints its arguments and the URL."""
    python = tmp_path / "python"
    python.write_text('#!/bin/sh\necho "$* url=$OSALLISTU_SITE_URL"\n')
    python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "OSALLISTU_SITE_URL"}
    env.update(environment)
    # -o skips the set-up targets, so only the run recipe's own commands execute.
    command = ["make", "-s", "-o", "system-packages", "-o", "install", "-o", "messages", "run"]
    result = subprocess.run(
        [*command, "PORT=8766", f"BIN={tmp_path}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return next(line for line in result.stdout.splitlines() if "runserver" in line)


def test_run_sets_site_url_from_port(tmp_path):
    line = _run_target(tmp_path)

    assert line == "manage.py runserver 127.0.0.1:8766 url=http://127.0.0.1:8766"


def test_run_keeps_site_url_from_environment(tmp_path):
    line = _run_target(tmp_path, OSALLISTU_SITE_URL="https://osallistu.example.fi")

    assert line.endswith("url=https://osallistu.example.fi")
