"""A short class in the suite: 20 students for 5 s against a 2-worker server, and not one failed request.

The full run (60 students, 60 s, memory over 10,000 requests) is `bench/load.py`; this keeps CI fast.
"""

import json
import subprocess
import sys

from .conftest import ROOT, start_server, stop_server


def test_twenty_students_for_five_seconds_get_no_errors(tmp_path):
    """bench/load.py runs as a script, as a person runs it (tests never import bench/: the dependency runs one way)."""
    server = start_server(workers=2)
    results = tmp_path / "load.json"
    try:
        command = [sys.executable, str(ROOT / "bench" / "load.py"), "--url", server.url, "--students", "20"]
        subprocess.run([*command, "--seconds", "5", "--json", str(results)], cwd=ROOT, timeout=120, check=False)
    finally:
        stop_server(server)
    report = json.loads(results.read_text())
    assert report["errors"] == 0, report["error_samples"]
    assert report["requests"] >= 20  # every student at least opened the page and asked for a layer
