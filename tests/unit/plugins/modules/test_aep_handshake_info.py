# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_handshake_info: which lists are read and how they are filtered."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest.mock import MagicMock

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.modules import aep_handshake_info
from ansible_collections.aep.platform.tests.unit.plugins.module_utils.test_sharing import (
    DEV, EXIM, PROD, THIRD, FakeAep, link,
)


def module(**params):
    p = dict(request_type=None, status=None, linking_id=None, org_id=None)
    p.update(params)
    m = MagicMock()
    m.params = p
    m.check_mode = False
    return m


@pytest.fixture
def api():
    api = FakeAep(PROD)
    link(api.world, DEV, PROD, "APPROVED", linking_id="a" * 32)
    link(api.world, THIRD, PROD, "APPROVAL_PENDING", linking_id="b" * 32)
    link(api.world, PROD, THIRD, "REJECTED", linking_id="c" * 32)
    return api


def test_incoming_by_status(api):
    result = aep_handshake_info.run(module(request_type="INCOMING", status=["APPROVAL_PENDING", "IN_PROGRESS"]), api)
    assert result["changed"] is False
    assert [h["linkingId"] for h in result["handshakes"]] == ["b" * 32]
    assert api.calls == [("GET", EXIM + "/handshake/list",
                          {"requestType": "INCOMING", "property": "status==APPROVAL_PENDING,IN_PROGRESS"}, None)]


def test_both_directions_when_no_request_type(api):
    result = aep_handshake_info.run(module(), api)
    assert sorted(h["linkingId"] for h in result["handshakes"]) == ["a" * 32, "b" * 32, "c" * 32]
    assert [c[2]["requestType"] for c in api.calls] == ["OUTGOING", "INCOMING"]


def test_filters_by_linking_id_and_org(api):
    assert [h["linkingId"] for h in aep_handshake_info.run(module(linking_id="a" * 32), api)["handshakes"]] == ["a" * 32]
    assert sorted(h["linkingId"] for h in aep_handshake_info.run(module(org_id=THIRD), api)["handshakes"]) == [
        "b" * 32, "c" * 32]


def test_bad_org_id_refused_before_request(api):
    with pytest.raises(AepValidationError):
        aep_handshake_info.run(module(org_id="third"), api)
    assert api.calls == []
