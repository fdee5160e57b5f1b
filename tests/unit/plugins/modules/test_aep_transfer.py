# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_transfer: which of the three forms runs, option checks before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest.mock import MagicMock

import pytest

from ansible_collections.aep.platform.plugins.module_utils import sharing
from ansible_collections.aep.platform.plugins.module_utils.errors import AepStateError, AepValidationError
from ansible_collections.aep.platform.plugins.modules import aep_transfer
from ansible_collections.aep.platform.tests.unit.plugins.module_utils.test_sharing import (
    DEV, EXIM, PKG, PROD, FakeAep, link,
)


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(sharing, "WAIT_KWARGS", dict(sleeper=lambda s: None))


def module(check_mode=False, **params):
    p = dict(package_id=PKG, target_org_ids=None, public=False, source_org_id=None, wait=True, wait_timeout=600)
    p.update(params)
    m = MagicMock()
    m.params = p
    m.check_mode = check_mode
    return m


@pytest.mark.parametrize("params,option", [
    (dict(target_org_ids=[PROD], package_id="my-package"), "package_id"),
    (dict(), "target_org_ids"),
    (dict(target_org_ids=[]), "target_org_ids"),
    (dict(target_org_ids=[DEV]), "target_org_ids"),
    (dict(target_org_ids=[PROD], source_org_id=PROD), "source_org_id"),
    (dict(public=True, target_org_ids=[PROD]), "target_org_ids"),
    (dict(public=True, source_org_id=DEV), "source_org_id"),
    (dict(public=True, source_org_id="acme"), "source_org_id"),
    (dict(target_org_ids=[PROD], wait_timeout=-1), "wait_timeout"),
])
def test_bad_input_refused_before_any_request(params, option):
    api = FakeAep(DEV)
    with pytest.raises(AepValidationError) as e:
        aep_transfer.run(module(**params), api)
    assert e.value.option == option and api.calls == []


def test_private_refused_without_link_then_sent_once_linked():
    dev = FakeAep(DEV)
    with pytest.raises(AepStateError, match="No approved share link"):
        aep_transfer.run(module(target_org_ids=[PROD]), dev)
    assert dev.mutations == []
    link(dev.world, DEV, PROD, "APPROVED")
    first = aep_transfer.run(module(target_org_ids=[PROD]), dev)
    assert first["changed"] is True and first["transfers"][0]["status"] == "COMPLETED"
    assert first["transfers"][0]["target_package_id"]
    dev.calls[:] = []
    second = aep_transfer.run(module(target_org_ids=[PROD]), dev)
    assert second["changed"] is False and len(dev.calls) == 1


def test_public_without_source_makes_the_package_public():
    dev = FakeAep(DEV)
    dev.world["packages"][PKG] = dict(id=PKG, status="PUBLISHED", packageVisibility="private")
    result = aep_transfer.run(module(public=True), dev)
    assert result["changed"] is True and result["transfers"] == []
    assert result["package"]["packageVisibility"] == "PUBLIC"
    assert [c[:2] for c in dev.mutations] == [("PUT", EXIM + "/packages")]


def test_public_with_source_pulls():
    prod = FakeAep(PROD)
    result = aep_transfer.run(module(public=True, source_org_id=DEV, wait=False), prod)
    assert result["changed"] is True and result["transfers"][0]["requestType"] == "PUBLIC"
    assert [c[:2] for c in prod.mutations] == [("POST", EXIM + "/transfer/pullRequest")]
    assert aep_transfer.run(module(public=True, source_org_id=DEV), prod)["changed"] is False
