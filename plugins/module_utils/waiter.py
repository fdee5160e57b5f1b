# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Poll an object until it reaches a terminal state."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible_collections.aep.platform.plugins.module_utils.errors import AepWaitTimeout

POLL_START = 1.0
POLL_FACTOR = 1.5
POLL_CAP = 15.0


def wait_for(fetch, state_of, terminal, timeout, what, sleeper=time.sleep, clock=time.monotonic,
             start=POLL_START, cap=POLL_CAP):
    """Call ``fetch()`` until ``state_of(obj)`` is in ``terminal``; return the last object.

    The first read is immediate, then the interval grows from ``start`` seconds
    by half each time up to ``cap``, never sleeping past the deadline.
    On time-out raise AepWaitTimeout naming ``what`` and the last state seen.
    """
    deadline = clock() + timeout
    delay = start
    while True:
        obj = fetch()
        state = state_of(obj)
        if state in terminal:
            return obj
        remaining = deadline - clock()
        if remaining <= 0:
            raise AepWaitTimeout(what, timeout, state, obj)
        sleeper(min(delay, remaining))
        delay = min(delay * POLL_FACTOR, cap)
