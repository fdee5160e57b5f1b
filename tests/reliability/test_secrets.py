# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets: the integration scenarios at -vvvv leak neither client secret nor token.

The runs of ``scenario_runs`` (conftest.py) have HOME and XDG_CACHE_HOME in their own
temporary directory and ANSIBLE_LOG_PATH set. Searched:

* for every client secret of the demo state: stdout, stderr, the log, the task results
  (the suite's callback writes them to records.jsonl) and every file written under the
  runs' directories (the token cache and the role's report included);
* for every access token the simulator issued (read from its state): stdout, stderr, the
  log and the results. The token cache holds the token (that is its job), never the secret.
"""

from __future__ import absolute_import, division, print_function

import os
import stat


from conftest import SECRETS


def _files(top):
    for base, dummy, names in os.walk(top):
        for name in names:
            yield os.path.join(base, name)


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except (IOError, OSError):
        return ""


def _scan(label, first, second, tokens, report, extra_dirs=()):
    runs = (first, second)
    outputs = []
    for run in runs:
        outputs.append(("stdout", run.stdout))
        outputs.append(("stderr", run.stderr))
        if run.log_path:
            outputs.append(("log", _read(run.log_path)))
        outputs.append(("results", _read(os.path.join(run.work, "records.jsonl"))))
    top = os.path.dirname(first.work)
    dirs = sorted(set([first.work, second.work, first.home, second.home] + list(extra_dirs)))
    files = sorted(set(p for d in dirs for p in _files(d) if os.path.isfile(p)))
    cache_files = [p for p in files if os.sep + "aep.platform" + os.sep + "tokens" + os.sep in p
                   and p.endswith(".json")]
    secret_hits = []
    for path in files:
        text = _read(path)
        secret_hits += ["%s in %s" % (s[:8] + "...", os.path.relpath(path, top)) for s in SECRETS if s in text]
    token_hits = []
    for where, text in outputs:
        token_hits += ["token %s... in %s" % (t[:6], where) for t in tokens if t and t in text]
    cache_modes = sorted(set(oct(stat.S_IMODE(os.stat(p).st_mode)) for p in cache_files))
    cached_tokens = sum(1 for p in cache_files for t in tokens if t in _read(p))
    out_bytes = sum(len(t) for dummy, t in outputs)
    # Both runs share one token cache: one token minted per credential (cache file), not per task or run.
    one_per_credential = len(tokens) == len(cache_files)
    report.row("secrets", "%s at -vvvv (ANSIBLE_LOG_PATH set) + a second run" % label,
               "searched %d KiB of stdout/stderr/log/results and %d files written (%d token cache files, mode %s, "
               "holding %d issued token%s); client secret matches: %d; access token matches (%d tokens issued) in "
               "the output: %d; IMS tokens minted over both runs: %d for %d credentials" % (
                   out_bytes // 1024, len(files), len(cache_files), ", ".join(cache_modes) or "-", cached_tokens,
                   "" if cached_tokens == 1 else "s", len(secret_hits), len(tokens), len(token_hits),
                   len(tokens), len(cache_files)),
               passed=not secret_hits and not token_hits and bool(tokens) and one_per_credential)
    assert tokens, "the simulator issued no token: nothing was tested"
    assert cache_files, "no token cache file was written under XDG_CACHE_HOME"
    assert cache_modes == ["0o600"], cache_modes
    assert not secret_hits, secret_hits
    assert not token_hits, token_hits
    assert one_per_credential, "%d tokens minted for %d credentials: the token cache was not reused" % (
        len(tokens), len(cache_files))


def test_no_secret_in_module_runs(scenario_runs, report):
    first, second, tokens, dummy = scenario_runs["modules"]
    assert first.rc == 0, first.explain()
    assert "<localhost> ESTABLISH LOCAL CONNECTION" in first.stdout or len(first.stdout) > 10000
    _scan("every module (all_modules.yml)", first, second, tokens, report)


def test_no_secret_in_role_runs(scenario_runs, report):
    first, second, tokens, dummy = scenario_runs["roles"]
    assert first.rc == 0, first.explain()
    _scan("roles org_link + sandbox_promotion (promote_sandbox.yml, demo vars)", first, second, tokens, report,
          extra_dirs=[os.path.join(os.path.dirname(first.work), "roles-report")])
