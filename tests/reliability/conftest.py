# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Harness of the reliability suite (issue 9).

Every test starts its own simulator (``aep_simulator.testing.running_server``)
on a free loopback port, runs ``ansible-playbook`` as a subprocess against it
with the collection found through ANSIBLE_COLLECTIONS_PATH (``make
reliability`` points it at .build/), and records what it measured with
``report.row(...)``. At the end of a full run the rows are written to
docs/reliability.md.

The playbooks run with the test callback ``reliability_recorder`` (see
plugins/callback/): each task result lands in a JSON-lines file together with
the simulator requests that task sent, so a test can attribute requests to a
module or a role task.
"""

from __future__ import absolute_import, division, print_function

import contextlib
import datetime
import json
import os
import platform
import re
import ssl
import subprocess
import sys
import time
import urllib.request

import pytest

from aep_simulator.testing import running_server

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOKS = os.path.join(HERE, "playbooks")
DOC = os.environ.get("RELIABILITY_DOC") or os.path.join(ROOT, "docs", "reliability.md")

DEV_ORG = "5C1328435BF324E90A49402A@AdobeOrg"
PROD_ORG = "745F37C35E4B776E0A49421B@AdobeOrg"
CREDENTIALS = {
    "dev": dict(client_id="acme-dev-client", client_secret="sim-secret-dev-7Qx2Lp9", org_id=DEV_ORG),
    "prod": dict(client_id="acme-prod-client", client_secret="sim-secret-prod-4Wm8Rt3", org_id=PROD_ORG),
    "limited": dict(client_id="acme-prod-limited", client_secret="sim-secret-limited-9Kd5Vn1", org_id=PROD_ORG),
}
SECRETS = [c["client_secret"] for c in CREDENTIALS.values()]
MUTATING = ("POST", "PUT", "PATCH", "DELETE")
# Modules of the collection; a scenario for each is looked for in the playbooks.
MODULES = [
    "aep_package", "aep_package_info", "aep_job_info", "aep_package_import", "aep_handshake",
    "aep_handshake_info", "aep_transfer", "aep_transfer_info", "aep_external_audience", "aep_batch",
    "aep_target_profile_info",
]
ROLES = ["org_link", "sandbox_promotion"]


def collection_path():
    return os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(ROOT, ".build")


def module_available(name):
    for base in collection_path().split(os.pathsep):
        if os.path.exists(os.path.join(base, "ansible_collections", "aep", "platform", "plugins", "modules", name + ".py")):
            return True
    return False


def role_available(name):
    for base in collection_path().split(os.pathsep):
        if os.path.isdir(os.path.join(base, "ansible_collections", "aep", "platform", "roles", name, "tasks")):
            return True
    return False


# --------------------------------------------------------------------------- simulator


class Sim:
    """A running simulator and its test hooks."""

    def __init__(self, server):
        self.server = server
        self.url = server.url
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def hook(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30, context=self.context) as answer:  # nosec - loopback
            raw = answer.read()
        return json.loads(raw) if raw else None

    def requests(self):
        return self.hook("GET", "/__sim/requests")["requests"]

    def clear_requests(self):
        self.hook("DELETE", "/__sim/requests")

    def state(self):
        return self.hook("GET", "/__sim/state")

    def faults(self, spec=None):
        if spec is None:
            return self.hook("GET", "/__sim/faults")
        return self.hook("POST", "/__sim/faults", spec)

    def clear_faults(self):
        self.hook("DELETE", "/__sim/faults")

    def reset(self):
        self.hook("POST", "/__sim/reset")

    def issued_tokens(self):
        """Every access token the simulator minted (read from its in-memory state)."""
        state = self.server.app.config["SIM_STATE"]
        return sorted(_find_tokens(state))


def _find_tokens(state):
    found = set()
    tokens = getattr(state, "tokens", None)
    if isinstance(tokens, dict):
        found.update(k for k in tokens if isinstance(k, str))
    return found


@pytest.fixture
def simulator():
    """Factory: ``with simulator(faults=..., tls=(cert, key)) as sim:``."""

    @contextlib.contextmanager
    def start(faults=None, tls=None, state=None, job_delay=0.05):
        kwargs = dict(faults=faults, job_delay=job_delay, quiet=True)
        if tls:
            kwargs.update(tls_cert=tls[0], tls_key=tls[1])
        with running_server(state, **kwargs) as srv:
            yield Sim(srv)

    return start


@pytest.fixture
def sim(simulator):
    with simulator() as s:
        yield s


# --------------------------------------------------------------------------- ansible-playbook


class Run:
    def __init__(self, cmd, proc, records, duration, home, log_path, work):
        self.cmd = cmd
        self.work = work
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.records = records
        self.duration = duration
        self.home = home
        self.log_path = log_path

    @property
    def output(self):
        return self.stdout + "\n" + self.stderr

    def tasks(self, action_prefix="aep.platform.", items=False):
        """Records of the collection's module tasks (not loop items unless asked)."""
        return [r for r in self.records
                if (r["action"] or "").startswith(action_prefix) and r["item"] == items]

    def requests(self):
        out = []
        for r in self.records:
            out.extend(r["requests"] or [])
        return out

    def changed_tasks(self):
        return [r for r in self.tasks() if r["result"].get("changed")]

    def failed_tasks(self):
        return [r for r in self.records if r["status"] == "failed" and not r["item"]]

    def explain(self):
        tail = "\n".join(self.stdout.splitlines()[-60:])
        return "ansible-playbook rc=%s\n%s\n--- stderr ---\n%s" % (self.rc, tail, self.stderr[-3000:])


def make_runner(base):
    """``run(name, sim=..., ...) -> Run``: ansible-playbook with its own work dir under ``base``."""
    counter = [0]

    def run(name, sim=None, extra_vars=None, check=False, diff=False, verbosity=0, env=None,
            creds="dev", log=False, home=None, timeout=600, label="run", args=()):
        counter[0] += 1
        work = os.path.join(str(base), "%s%d" % (label, counter[0]))
        os.makedirs(work)
        home = str(home or os.path.join(work, "home"))
        os.makedirs(os.path.join(home, ".cache"), exist_ok=True)
        record = os.path.join(work, "records.jsonl")
        log_path = os.path.join(work, "ansible.log") if log else None
        environ = _base_env(home, record, log_path)
        if sim is not None:
            c = CREDENTIALS[creds]
            environ.update(
                AEP_SIM_URL=sim.url, AEP_PLATFORM_URL=sim.url, AEP_IMS_URL=sim.url,
                AEP_ORG_ID=c["org_id"], AEP_CLIENT_ID=c["client_id"], AEP_CLIENT_SECRET=c["client_secret"],
            )
        environ.update(env or {})
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
               "-i", "localhost,", "-c", "local",
               "-e", "ansible_python_interpreter=%s" % sys.executable]
        for key, value in (extra_vars or {}).items():
            cmd += ["-e", json.dumps({key: value})]
        cmd += list(args)
        if check:
            cmd.append("--check")
        if diff:
            cmd.append("--diff")
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        cmd.append(name if os.path.isabs(name) else os.path.join(PLAYBOOKS, name))
        start = time.time()
        proc = subprocess.run(cmd, env=environ, cwd=work, capture_output=True, text=True, timeout=timeout,
                              check=False)
        duration = time.time() - start
        records = []
        if os.path.exists(record):
            with open(record) as f:
                records = [json.loads(line) for line in f if line.strip()]
        return Run(cmd, proc, records, duration, home, log_path, work)

    return run


@pytest.fixture
def playbook(tmp_path):
    """Run a playbook of tests/reliability/playbooks (or an absolute path) against a simulator."""
    return make_runner(tmp_path)


def _base_env(home, record, log_path):
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "ANSIBLE_COLLECTIONS_PATH", "PYTHONPATH")
    environ = {k: v for k, v in os.environ.items() if k in keep}
    bindir = os.path.dirname(sys.executable)
    environ["PATH"] = bindir + os.pathsep + environ.get("PATH", "/usr/bin:/bin")
    environ.setdefault("ANSIBLE_COLLECTIONS_PATH", collection_path())
    environ.update(
        HOME=home,
        XDG_CACHE_HOME=os.path.join(home, ".cache"),
        ANSIBLE_LOCAL_TEMP=os.path.join(home, ".ansible", "tmp"),
        ANSIBLE_REMOTE_TEMP=os.path.join(home, ".ansible", "tmp"),
        ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "plugins", "callback"),
        ANSIBLE_CALLBACKS_ENABLED="reliability_recorder",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_PIPELINING="1",
        ANSIBLE_HOST_KEY_CHECKING="0",
        ANSIBLE_DEPRECATION_WARNINGS="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
        ANSIBLE_COLLECTIONS_ON_ANSIBLE_VERSION_MISMATCH="ignore",
        RELIABILITY_RECORD=record,
        PYTHONUNBUFFERED="1",
    )
    if log_path:
        environ["ANSIBLE_LOG_PATH"] = log_path
    return environ


# --------------------------------------------------------------------------- report


class Report:
    """Rows of docs/reliability.md: one per scenario, with its measured outcome."""

    def __init__(self):
        self.rows = []

    def row(self, section, scenario, measured, passed=True):
        self.rows.append(dict(section=section, scenario=scenario, measured=measured, passed=passed))


REPORT = Report()
SECTIONS = [
    ("faults", "Faults (simulator fault injection)"),
    ("duplicates", "No duplicates after a dropped create"),
    ("secrets", "Secrets"),
    ("check", "Check mode"),
    ("idempotency", "Idempotency"),
    ("tls", "TLS"),
    ("isolation", "Isolation between orgs"),
    ("input", "Bad input"),
]


@pytest.fixture
def report(request):
    """``report.row(section, scenario, measured)``; a failing test marks its rows failed."""
    start = len(REPORT.rows)
    yield REPORT
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        rows = REPORT.rows[start:]
        if rows and all(r["passed"] for r in rows):
            # the failure is not one of the measured rows: show it
            REPORT.row(rows[0]["section"], request.node.name, "FAILED: %s" % _first_line(call.longrepr),
                       passed=False)
        elif not rows:
            REPORT.row(_section_of(request.node), request.node.name,
                       "FAILED: %s" % _first_line(call.longrepr), passed=False)


def _section_of(node):
    name = os.path.basename(str(node.fspath))
    for key, dummy in SECTIONS:
        if key in name:
            return key
    return "other"


def _first_line(longrepr):
    text = str(longrepr)
    for line in text.splitlines():
        if line.startswith("E "):
            return line[2:].strip()[:300]
    return text.strip().splitlines()[-1][:300] if text.strip() else "failed"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
    if rep.when == "call" and rep.skipped:
        REPORT.row(_section_of(item), item.name, "SKIPPED: %s" % _skip_reason(rep), passed=None)


def _skip_reason(rep):
    longrepr = rep.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).replace("Skipped: ", "")
    return str(longrepr)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The measured figures, also in the log (the same rows as docs/reliability.md)."""
    if not REPORT.rows:
        return
    terminalreporter.section("reliability figures")
    for r in REPORT.rows:
        outcome = {True: "pass", False: "FAIL", None: "skip"}[r["passed"]]
        terminalreporter.write_line("[%s] %s / %s: %s" % (outcome, r["section"], r["scenario"], r["measured"]))


def pytest_sessionstart(session):
    session.config._reliability_start = time.time()


def pytest_sessionfinish(session, exitstatus):
    """Regenerate docs/reliability.md after a run of the whole suite (not after -k or one file)."""
    config = session.config
    args = [os.path.abspath(a.split("::")[0]) for a in config.args]
    whole = all(a.rstrip(os.sep) == HERE for a in args) and not config.option.keyword \
        and not config.option.markexpr and not os.environ.get("RELIABILITY_NO_DOC")
    if not whole or not REPORT.rows:
        return
    duration = time.time() - getattr(config, "_reliability_start", time.time())
    write_doc(REPORT.rows, session.testscollected, session.testsfailed, duration)


def _cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_doc(rows, collected, failed, duration):
    lines = [
        "# Reliability and security figures",
        "",
        "Generated by the reliability suite (`tests/reliability/`, issue 9); do not edit by hand.",
        "Regenerate with `make reliability` (part of `make test`), or from a prepared tree:",
        "`ANSIBLE_COLLECTIONS_PATH=.build .venv/bin/python -m pytest -p no:cacheprovider tests/reliability`.",
        "Each scenario starts its own simulator (`aep_simulator.testing.running_server`) on a loopback port",
        "and runs `ansible-playbook` against it; every figure below is counted from the simulator's",
        "request log (`/__sim/requests`), its state (`/__sim/state`) or the task results of that run.",
        "",
        "Last run: %s UTC, ansible-core %s, Python %s, %d tests, %d failed, %.0f s." % (
            datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"), _ansible_version(),
            platform.python_version(), collected, failed, duration),
        "",
    ]
    for key, title in SECTIONS + [("other", "Other")]:
        section = [r for r in rows if r["section"] == key]
        if not section:
            continue
        lines += ["## " + title, "", "| scenario | measured result | outcome |", "|---|---|---|"]
        for r in section:
            outcome = {True: "pass", False: "**FAIL**", None: "skipped"}[r["passed"]]
            lines.append("| %s | %s | %s |" % (_cell(r["scenario"]), _cell(r["measured"]), outcome))
        lines.append("")
    os.makedirs(os.path.dirname(DOC), exist_ok=True)
    with open(DOC, "w") as f:
        f.write("\n".join(lines))


def _ansible_version():
    try:
        from ansible.release import __version__
        return __version__
    except ImportError:
        return "?"


# --------------------------------------------------------------------------- helpers for tests


# POSTs that only read: Adobe's dependency tree of a package is a POST (Sandbox tooling API,
# "list the children of an artifact"); it changes nothing. Counted separately, never hidden.
READ_ONLY_POSTS = re.compile(r"^/data/foundation/exim/packages/[^/]+/children$")


def mutating(requests, include_ims=False, include_read_posts=False):
    return [r for r in requests if r.get("method") in MUTATING
            and (include_ims or not (r.get("path") or "").startswith("/ims/"))
            and (include_read_posts or not (r.get("method") == "POST" and READ_ONLY_POSTS.match(r.get("path") or "")))]


def read_only_posts(requests):
    return [r for r in requests if r.get("method") == "POST" and READ_ONLY_POSTS.match(r.get("path") or "")]


def count_by_status(requests):
    out = {}
    for r in requests:
        out[r.get("status")] = out.get(r.get("status"), 0) + 1
    return out


def traceback_in(result):
    text = json.dumps(result, default=str)
    return bool(re.search(r"Traceback \(most recent call last\)", text))


# --------------------------------------------------------------------------- shared scenario runs

PROMOTE = os.path.join(ROOT, "playbooks", "promote_sandbox.yml")
PROMOTE_VARS = os.path.join(ROOT, "playbooks", "vars", "demo.yml")


@pytest.fixture(scope="session")
def scenario_runs(tmp_path_factory):
    """The integration scenarios, each run twice on its own simulator.

    First run at -vvvv with ANSIBLE_LOG_PATH (scanned for secrets by test_secrets.py),
    second run plain (checked for changed: false by test_idempotency.py).
    ``{"modules": (first, second, sim_tokens), "roles": (...)}``.
    """
    base = tmp_path_factory.mktemp("scenarios")
    runner = make_runner(base)
    out = {}
    with running_server(None, job_delay=0.05, quiet=True) as srv:
        sim = Sim(srv)
        first = runner("all_modules.yml", sim, verbosity=4, log=True, label="modules")
        batch_ids = [t["result"].get("batch", {}).get("id") for t in first.tasks()
                     if t["action"].endswith("aep_batch") and t["result"].get("changed")
                     and t["task"].startswith("Create")]
        extra = {"rel_batch_id": batch_ids[0]} if batch_ids and batch_ids[0] else {}
        second = runner("all_modules.yml", sim, extra_vars=extra, home=first.home, label="modules")
        out["modules"] = (first, second, sim.issued_tokens(), sim.state())
    with running_server(None, job_delay=0.05, quiet=True) as srv:
        sim = Sim(srv)
        runs = []
        home = None
        for verbosity in (4, 0):
            run = runner(PROMOTE, sim, extra_vars=None, verbosity=verbosity, log=verbosity > 0,
                         home=home, label="roles",
                         env={"AEP_DEMO_REPORT_DIR": os.path.join(str(base), "roles-report")},
                         args=["-e", "@" + PROMOTE_VARS])
            home = run.home
            runs.append(run)
        out["roles"] = (runs[0], runs[1], sim.issued_tokens(), sim.state())
    return out
