# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback of the reliability suite (tests/reliability).

Writes one JSON line per task result (and per loop item) to the file named by
RELIABILITY_RECORD. When AEP_SIM_URL is set, it also reads the simulator's
request log after every task result and clears it, so each record carries
exactly the requests that task sent (tasks run one after the other on one
host, so nothing else talks to the simulator in between).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: reliability_recorder
type: aggregate
short_description: record task results and the simulator requests of each task
description:
  - Test helper of tests/reliability; not shipped as a plugin of the collection.
requirements:
  - enable in configuration
options: {}
"""

import json
import os
import ssl
import time
import urllib.request

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "reliability_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.path = os.environ.get("RELIABILITY_RECORD")
        self.sim_url = (os.environ.get("AEP_SIM_URL") or "").rstrip("/")
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def _sim(self, method):
        req = urllib.request.Request(self.sim_url + "/__sim/requests", method=method)
        with urllib.request.urlopen(req, timeout=10, context=self.context) as answer:  # nosec - loopback test hook
            body = answer.read()
        return json.loads(body) if body else None

    def _requests(self):
        if not self.sim_url:
            return None
        try:
            log = self._sim("GET") or {}
            self._sim("DELETE")
        except Exception as e:  # pylint: disable=broad-except
            return [{"error": str(e)}]
        return log.get("requests", [])

    def _write(self, status, result, item=False):
        if not self.path:
            return
        task = result._task
        role = getattr(task, "_role", None)
        record = dict(
            status=status,
            time=time.time(),
            item=item,
            task=task.get_name(),
            action=task.action,
            role=role.get_name() if role else None,
            host=result._host.get_name(),
            check_mode=bool(getattr(task, "check_mode", False)),
            result=result._result,
            requests=None if item else self._requests(),
        )
        with open(self.path, "a") as f:
            f.write(json.dumps(record, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._write("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write("failed", result)

    def v2_runner_on_skipped(self, result):
        self._write("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._write("unreachable", result)

    def v2_runner_item_on_ok(self, result):
        self._write("ok", result, item=True)

    def v2_runner_item_on_failed(self, result):
        self._write("failed", result, item=True)
