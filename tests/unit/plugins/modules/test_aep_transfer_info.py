# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_transfer_info: one by id, or the filtered list."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest.mock import MagicMock

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import AepValidationError
from ansible_collections.aep.platform.plugins.modules import aep_transfer_info
from ansible_collections.aep.platform.tests.unit.plugins.module_utils.test_sharing import (
    EXIM, PKG, PROD, FakeAep, transfer,
)


def module(**params):
    p = dict(id=None, request_type=None, status=None, package_id=None)
    p.update(params)
    m = MagicMock()
    m.params = p
    m.check_mode = False
    return m


@pytest.fixture
def api():
    api = FakeAep(PROD)
    transfer(api.world, "COMPLETED")
    transfer(api.world, "FAILED", package_id="a" * 32)
    transfer(api.world, "COMPLETED", rtype="PUBLIC", package_id="a" * 32)
    return api


def test_by_id(api):
    wanted = api.world["transfers"][0]
    result = aep_transfer_info.run(module(id=wanted["id"]), api)
    assert [t["id"] for t in result["transfers"]] == [wanted["id"]]
    assert result["transfers"][0]["target_package_id"] == "e" * 32
    assert [c[1] for c in api.calls] == [EXIM + "/transfer/" + wanted["id"]]


def test_unknown_id_is_an_empty_list(api):
    assert aep_transfer_info.run(module(id="0" * 32), api)["transfers"] == []


def test_list_by_type_status_and_package(api):
    result = aep_transfer_info.run(module(request_type="PRIVATE", status=["FAILED", "COMPLETED"]), api)
    assert sorted(t["status"] for t in result["transfers"]) == ["COMPLETED", "FAILED"]
    assert api.calls[0][2] == {"requestType": "PRIVATE", "property": "status==FAILED,COMPLETED"}
    by_package = aep_transfer_info.run(module(package_id="a" * 32), api)["transfers"]
    assert sorted(t["requestType"] for t in by_package) == ["PRIVATE", "PUBLIC"]
    assert all(t["packageId"] != PKG for t in by_package)


@pytest.mark.parametrize("params", [dict(id="nope"), dict(package_id="nope")])
def test_bad_ids_refused_before_request(api, params):
    with pytest.raises(AepValidationError):
        aep_transfer_info.run(module(**params), api)
    assert api.calls == []
