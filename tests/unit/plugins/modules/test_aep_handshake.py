# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_handshake: option checks before any request, and the three states end to end on the fake API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest.mock import MagicMock

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.aep.platform.plugins.module_utils import sharing
from ansible_collections.aep.platform.plugins.module_utils.errors import AepStateError, AepValidationError
from ansible_collections.aep.platform.plugins.modules import aep_handshake
from ansible_collections.aep.platform.tests.unit.plugins.module_utils.test_sharing import DEV, PROD, FakeAep

TARGET_ORG = dict(id=None, name="Acme Prod Org", region="va6")


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    monkeypatch.setattr(sharing, "WAIT_KWARGS", dict(sleeper=lambda s: None))


def module(check_mode=False, **params):
    p = dict(state="requested", target_org_ids=None, source_org_name=None, linking_id=None, from_org_id=None,
             reason=None, target_org=None, wait=False, wait_timeout=600)
    p.update(params)
    m = MagicMock()
    m.params = p
    m.check_mode = check_mode
    return m


def main_kwargs(monkeypatch):
    captured = {}
    monkeypatch.setattr(aep_handshake, "run_module", lambda run, **kw: captured.update(kw))
    aep_handshake.main()
    return captured


@pytest.mark.parametrize("params,error", [
    (dict(state="requested", target_org_ids=[PROD]), "source_org_name"),
    (dict(state="approved", target_org=TARGET_ORG), "linking_id, from_org_id"),
    (dict(state="rejected", from_org_id=DEV), "target_org"),
    (dict(state="approved", from_org_id=DEV, linking_id="x", target_org=TARGET_ORG), "mutually exclusive"),
    (dict(state="approved", from_org_id=DEV, target_org=dict(name="Acme Prod Org")), "region"),
])
def test_argument_spec_combinations(monkeypatch, params, error):
    kw = main_kwargs(monkeypatch)
    validator = ArgumentSpecValidator(kw["argument_spec"], mutually_exclusive=kw.get("mutually_exclusive"),
                                      required_if=kw.get("required_if"))
    result = validator.validate(params)
    assert result.errors and error in " ".join(str(e) for e in result.errors)


@pytest.mark.parametrize("params,option", [
    (dict(target_org_ids=[PROD], source_org_name="Acme", reason="x"), "reason"),
    (dict(target_org_ids=[PROD], source_org_name="  "), "source_org_name"),
    (dict(target_org_ids=["prod"], source_org_name="Acme"), "target_org_ids"),
    (dict(target_org_ids=[DEV], source_org_name="Acme"), "target_org_ids"),
    (dict(target_org_ids=[PROD], source_org_name="Acme", wait_timeout=-5), "wait_timeout"),
    (dict(state="approved", from_org_id=DEV, target_org=TARGET_ORG, target_org_ids=[PROD]), "target_org_ids"),
    (dict(state="approved", from_org_id="dev", target_org=TARGET_ORG), "from_org_id"),
    (dict(state="approved", from_org_id=DEV, target_org=dict(TARGET_ORG, id=DEV)), "target_org.id"),
    (dict(state="rejected", from_org_id=DEV, target_org=dict(TARGET_ORG, region="")), "target_org.region"),
])
def test_bad_input_refused_before_any_request(params, option):
    client = FakeAep(PROD if params.get("state") in ("approved", "rejected") else DEV)
    with pytest.raises(AepValidationError) as e:
        aep_handshake.run(module(**params), client)
    assert e.value.option == option
    assert client.calls == []


def test_request_approve_and_rerun():
    dev = FakeAep(DEV)
    requested = aep_handshake.run(module(target_org_ids=[PROD, PROD], source_org_name="Acme Dev Org"), dev)
    assert requested["changed"] is True and len(requested["handshakes"]) == 1
    assert "handshake" not in requested
    again = aep_handshake.run(module(target_org_ids=[PROD], source_org_name="Acme Dev Org"), dev)
    assert again["changed"] is False

    prod = dev.as_org(PROD)
    approve = module(state="approved", linking_id=requested["handshakes"][0]["linkingId"], target_org=TARGET_ORG)
    approved = aep_handshake.run(approve, prod)
    assert approved["changed"] is True and approved["handshake"]["status"] == "APPROVED"
    assert prod.mutations[0][3]["targetIMSOrgDetails"] == {"id": PROD, "name": "Acme Prod Org", "region": "va6"}
    assert "with the aep.platform" in prod.mutations[0][3]["reason"]  # default reason
    assert aep_handshake.run(approve, prod)["changed"] is False

    with pytest.raises(AepStateError, match="already APPROVED"):
        aep_handshake.run(module(state="rejected", from_org_id=DEV, target_org=TARGET_ORG), prod)


def test_check_mode_request_sends_nothing():
    dev = FakeAep(DEV)
    result = aep_handshake.run(module(check_mode=True, target_org_ids=[PROD], source_org_name="Acme Dev Org",
                                      wait=True), dev)
    assert result["changed"] is True and dev.mutations == []
