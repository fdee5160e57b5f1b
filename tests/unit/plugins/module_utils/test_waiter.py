# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import AepWaitTimeout
from ansible_collections.aep.platform.plugins.module_utils.waiter import wait_for


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_returns_when_terminal_with_growing_interval():
    states = iter(["PENDING", "IN_PROGRESS", "IN_PROGRESS", "SUCCESS"])
    t = FakeClock()
    obj = wait_for(lambda: {"s": next(states)}, lambda o: o["s"], ("SUCCESS", "FAILED"), 60, "job 1",
                   sleeper=t.sleep, clock=t.clock)
    assert obj == {"s": "SUCCESS"}
    assert t.sleeps == [1.0, 1.5, 2.25]


def test_interval_capped():
    t = FakeClock()
    with pytest.raises(AepWaitTimeout):
        wait_for(lambda: {}, lambda o: "RUNNING", ("DONE",), 200, "x", sleeper=t.sleep, clock=t.clock)
    assert max(t.sleeps) == 15.0


def test_timeout_names_what_and_last_state():
    t = FakeClock()
    with pytest.raises(AepWaitTimeout) as e:
        wait_for(lambda: {"jobStatus": "IN_PROGRESS"}, lambda o: o["jobStatus"], ("SUCCESS",), 10,
                 "import job abc", sleeper=t.sleep, clock=t.clock)
    assert "import job abc" in e.value.msg and "IN_PROGRESS" in e.value.msg and "10" in e.value.msg
    assert e.value.last_object == {"jobStatus": "IN_PROGRESS"}
    assert t.now == pytest.approx(10.0)  # never sleeps past the deadline


def test_zero_timeout_reads_once():
    t = FakeClock()
    reads = []
    with pytest.raises(AepWaitTimeout):
        wait_for(lambda: reads.append(1) or {}, lambda o: "X", ("Y",), 0, "x", sleeper=t.sleep, clock=t.clock)
    assert reads == [1] and t.sleeps == []
