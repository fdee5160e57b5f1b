"""The console script: free port, port file, SIGTERM, TLS, errors."""
import os
import shutil
import signal
import subprocess
import sys

import pytest
import requests

from aep_simulator.state import default_state_path

CMD = [sys.executable, "-m", "aep_simulator.cli"]


def start(args, **kw):
    proc = subprocess.Popen(CMD + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    line = proc.stdout.readline().strip()
    return proc, line


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(10) == 0


def test_port_zero_prints_url_and_sigterm(tmp_path):
    pf = tmp_path / "port"
    proc, line = start(["--port", "0", "--state", default_state_path(), "--port-file", str(pf), "--quiet"])
    try:
        assert line.startswith("aep-simulator listening on http://127.0.0.1:")
        port = int(line.rsplit(":", 1)[1])
        assert int(pf.read_text()) == port
        assert requests.get("http://127.0.0.1:%d/__sim/health" % port).json() == {"status": "ok"}
    finally:
        stop(proc)


def test_bad_state_file_fails_cleanly(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("orgs:\n  - id: X\n    sandboxes: [{name: dev, artifacts: [{id: a, type: NOPE}]}]\n")
    r = subprocess.run(CMD + ["--port", "0", "--state", str(bad)], capture_output=True, text=True, timeout=20, check=False)
    assert r.returncode == 2 and "unknown type" in r.stderr
    r = subprocess.run(CMD + ["--port", "0", "--faults", "{bad"], capture_output=True, text=True, timeout=20, check=False)
    assert r.returncode == 2


@pytest.mark.skipif(not shutil.which("openssl"), reason="openssl not installed")
def test_tls(tmp_path):
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    proc, line = start(["--port", "0", "--tls-cert", str(cert), "--tls-key", str(key), "--quiet"])
    try:
        assert line.startswith("aep-simulator listening on https://")
        r = requests.post(line.split(" on ")[1] + "/ims/token/v3", verify=str(cert), data={
            "grant_type": "client_credentials", "client_id": "acme-dev-client",
            "client_secret": "sim-secret-dev-7Qx2Lp9"})
        assert r.status_code == 200
    finally:
        stop(proc)


def test_faults_and_job_delay_options(tmp_path):
    proc, line = start(["--port", "0", "--quiet", "--job-delay", "0", "--faults",
                        '{"seed": 1, "rules": [{"kind": "status", "statuses": [504], "path": "^/rest/", "count": 1}]}'])
    try:
        url = line.split(" on ")[1]
        assert requests.get(url + "/rest/v1/profiles/x?client=acmedev").status_code == 504
        assert requests.get(url + "/rest/v1/profiles/x?client=acmedev").status_code == 404
    finally:
        stop(proc)
    assert os.path.exists(default_state_path())
