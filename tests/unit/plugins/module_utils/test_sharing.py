# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Decision logic of cross-org sharing (handshakes, transfers) against a small in-memory fake of the API."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils import sharing
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepConnectionError, AepStateError, AepValidationError, AepWaitTimeout,
)

DEV = "5C1328435BF324E90A49402A@AdobeOrg"
PROD = "745F37C35E4B776E0A49421B@AdobeOrg"
THIRD = "1111222233334444AAAABBBB@AdobeOrg"
PKG = "209f886b00444eac9bb5836fe32e7681"
EXIM = "/data/foundation/exim"
PROD_DETAILS = dict(id=None, name="Acme Prod Org", region="va6")


class FakeAep:
    """One org's view of a shared in-memory exim API (handshakes, transfers, packages).

    ``lose_answer``: (method, path) pairs whose next call is applied, then answers
    with a timeout (a create that may have reached the server). ``refuse``: pairs
    whose next call raises the given exception without being applied.
    ``transfer_steps``: statuses a transfer goes through on each GET /transfer/{id}.
    """

    _ids = itertools.count(1)

    def __init__(self, org, world=None):
        self.org_id = org
        self.world = world if world is not None else dict(handshakes=[], transfers=[], packages={})
        self.calls = []
        self.warnings = []
        self.lose_answer = set()
        self.refuse = {}
        self.transfer_steps = ["COMPLETED"]
        self.put_packages_status = None  # e.g. 405: PUT /packages not supported

    def as_org(self, org):
        """Another org's client on the same world."""
        return FakeAep(org, self.world)

    @property
    def mutations(self):
        return [c for c in self.calls if c[0] != "GET"]

    @staticmethod
    def new_id():
        return "%032x" % next(FakeAep._ids)

    # -- transport ------------------------------------------------------------

    def _call(self, method, path, query=None, body=None):
        self.calls.append((method, path, query, body))
        key = (method, path)
        if key in self.refuse:
            raise self.refuse.pop(key)
        answer = self._route(method, path, query or {}, body)
        if key in self.lose_answer:
            self.lose_answer.discard(key)
            raise AepConnectionError(method, path, "no answer within 30s", kind="timeout")
        return answer

    def paginate(self, path, query=None, **kwargs):
        return self._call("GET", path, query=query)

    def get(self, path, query=None, missing_ok=False, **kwargs):
        answer = self._call("GET", path, query=query)
        if answer is None and not missing_ok:
            raise AepApiError("GET", path, 404, body={"title": "Not Found"})
        return answer

    def post(self, path, json=None, **kwargs):
        return self._call("POST", path, body=json)

    def put(self, path, json=None, **kwargs):
        return self._call("PUT", path, body=json)

    # -- the API ----------------------------------------------------------------

    def _statuses(self, query):
        prop = query.get("property")
        if not prop:
            return None
        return prop.split("==", 1)[1].split(",")

    def _route(self, method, path, query, body):
        w = self.world
        if (method, path) == ("GET", EXIM + "/handshake/list"):
            key = "targetIMSOrgId" if query.get("requestType") == "INCOMING" else "sourceIMSOrgId"
            statuses = self._statuses(query)
            return [dict(h) for h in w["handshakes"] if h[key] == self.org_id
                    and (statuses is None or h["status"] in statuses)]
        if (method, path) == ("POST", EXIM + "/handshake/bulkCreate"):
            ok, failed = {}, {}
            for target in body["targetIMSOrgIds"]:
                if target == THIRD:
                    failed[target] = {"reason": "Organization %s not found" % target}
                    continue
                h = dict(id=self.new_id(), linkingId=self.new_id(), sourceIMSOrgId=self.org_id,
                         sourceIMSOrgName=body["sourceIMSDetails"]["name"], targetIMSOrgId=target,
                         status="APPROVAL_PENDING", createdDate=len(w["handshakes"]) + 1,
                         statusHistory=json.dumps([{"action": "INITIATED", "reason": None}]))
                w["handshakes"].append(h)
                ok[target] = dict(h)
            return {"successfulRequests": ok, "failedRequests": failed}
        if (method, path) == ("POST", EXIM + "/handshake/action"):
            h = next(x for x in w["handshakes"] if x["linkingId"] == body["linkingID"])
            assert h["targetIMSOrgId"] == self.org_id and h["status"] == "APPROVAL_PENDING"
            h["status"] = body["status"]
            h["targetRegion"] = body["targetIMSOrgDetails"]["region"]
            h["statusHistory"] = json.dumps(json.loads(h["statusHistory"]) + [
                {"action": body["status"], "reason": body["reason"]}])
            return dict(h)
        if (method, path) == ("GET", EXIM + "/transfer/list"):
            rtype = query.get("requestType") if query else None
            statuses = self._statuses(query or {})
            return [dict(t) for t in w["transfers"] if self.org_id in (t["sourceIMSOrgId"], t["targetIMSOrgId"])
                    and (rtype is None or t["requestType"] == rtype)
                    and (statuses is None or t["status"] in statuses)]
        if (method, path) == ("POST", EXIM + "/transfer"):
            out = []
            for target in body["targets"]:
                out.append(self._new_transfer(body["packageId"], self.org_id, target["imsOrgId"], "PRIVATE"))
            return out
        if (method, path) == ("POST", EXIM + "/transfer/pullRequest"):
            return self._new_transfer(body["packageId"], body["imsOrgId"], self.org_id, "PUBLIC")
        if method == "GET" and path.startswith(EXIM + "/transfer/"):
            tid = path.rsplit("/", 1)[1]
            t = next((x for x in w["transfers"] if x["id"] == tid), None)
            if t is None:
                return None
            if t["status"] not in ("COMPLETED", "FAILED") and t.get("_steps"):
                t["status"] = t["_steps"].pop(0)
                if t["status"] == "COMPLETED":
                    t["targetPackageId"] = "f" * 32
                if t["status"] == "FAILED":
                    t["failureReason"] = "Package %s could not be transferred" % t["packageId"]
            return dict((k, v) for k, v in t.items() if not k.startswith("_"))
        if method == "GET" and path.startswith(EXIM + "/packages/"):
            p = w["packages"].get(path.rsplit("/", 1)[1])
            return dict(p) if p else None
        if method == "PUT" and path in (EXIM + "/packages", EXIM + "/packages/update"):
            if path == EXIM + "/packages" and self.put_packages_status:
                raise AepApiError("PUT", path, self.put_packages_status, body={"title": "Method Not Allowed"})
            p = w["packages"][body["id"]]
            p["packageVisibility"] = "PUBLIC"
            return dict(p)
        raise AssertionError("unexpected call %s %s" % (method, path))

    def _new_transfer(self, package_id, source, target, rtype):
        t = dict(id=self.new_id(), packageId=package_id, sourceIMSOrgId=source, targetIMSOrgId=target,
                 status="PENDING", requestType=rtype, createdDate=len(self.world["transfers"]) + 1,
                 _steps=list(self.transfer_steps))
        self.world["transfers"].append(t)
        return dict((k, v) for k, v in t.items() if not k.startswith("_"))


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch):
    clock = [0.0]

    def sleeper(seconds):
        clock[0] += seconds

    monkeypatch.setattr(sharing, "WAIT_KWARGS", dict(sleeper=sleeper, clock=lambda: clock[0]))
    return clock


def link(world, source, target, status, linking_id=None, created=1, reason=None):
    h = dict(id=FakeAep.new_id(), linkingId=linking_id or FakeAep.new_id(), sourceIMSOrgId=source,
             targetIMSOrgId=target, status=status, createdDate=created,
             statusHistory=json.dumps([{"action": "INITIATED", "reason": None}, {"action": status, "reason": reason}]))
    world["handshakes"].append(h)
    return h


def transfer(world, status, target=PROD, package_id=PKG, rtype="PRIVATE", source=DEV, created=1):
    t = dict(id=FakeAep.new_id(), packageId=package_id, sourceIMSOrgId=source, targetIMSOrgId=target,
             status=status, requestType=rtype, createdDate=created)
    if status == "COMPLETED":
        t["targetPackageId"] = "e" * 32
    world["transfers"].append(t)
    return t


# ------------------------------------------------------------------ validation

@pytest.mark.parametrize("value", ["", "acme", "5C13 28@AdobeOrg", "5C1328435BF324E90A49402A@adobeorg", None])
def test_bad_org_ids_are_refused(value):
    with pytest.raises(AepValidationError) as e:
        sharing.validate_org_id(value, "target_org_ids")
    assert e.value.option == "target_org_ids"


def test_org_id_list_deduplicated_and_own_org_refused():
    assert sharing.validate_org_ids([PROD, THIRD, PROD], "t", DEV) == [PROD, THIRD]
    with pytest.raises(AepValidationError, match="own org"):
        sharing.validate_org_ids([PROD, DEV], "t", DEV)
    with pytest.raises(AepValidationError, match="at least one"):
        sharing.validate_org_ids([], "t", DEV)


def test_negative_wait_timeout_refused():
    with pytest.raises(AepValidationError) as e:
        sharing.validate_wait_timeout(-1)
    assert e.value.option == "wait_timeout"
    assert sharing.validate_wait_timeout(0) == 0


# ------------------------------------------------------------------ handshakes: requested

def test_request_sent_only_to_targets_without_a_link():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    other = "AAAA0000BBBB1111CCCC2222@AdobeOrg"
    result = sharing.request_links(api, [PROD, other], "Acme Dev Org")
    assert result["changed"] is True
    posts = api.mutations
    assert len(posts) == 1
    assert posts[0][3] == {"targetIMSOrgIds": [other], "sourceIMSDetails": {"id": DEV, "name": "Acme Dev Org"}}
    assert [h["status"] for h in result["handshakes"]] == ["APPROVED", "APPROVAL_PENDING"]
    assert result["diff"] == {"before": {PROD: "APPROVED", other: None},
                              "after": {PROD: "APPROVED", other: "APPROVAL_PENDING"}}


def test_request_again_is_no_change_and_one_read():
    api = FakeAep(DEV)
    sharing.request_links(api, [PROD], "Acme Dev Org")
    api.calls[:] = []
    result = sharing.request_links(api, [PROD], "Acme Dev Org")
    assert result["changed"] is False
    assert [c[:2] for c in api.calls] == [("GET", EXIM + "/handshake/list")]


def test_rejected_link_does_not_count_and_is_requested_again():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "REJECTED")
    result = sharing.request_links(api, [PROD], "Acme Dev Org")
    assert result["changed"] is True and result["handshakes"][0]["status"] == "APPROVAL_PENDING"


def test_incoming_link_counts_and_pending_one_warns():
    api = FakeAep(DEV)
    h = link(api.world, PROD, DEV, "APPROVAL_PENDING")
    result = sharing.request_links(api, [PROD], "Acme Dev Org")
    assert result["changed"] is False and api.mutations == []
    assert result["handshakes"][0]["linkingId"] == h["linkingId"]
    assert any(h["linkingId"] in w and "approve" in w for w in api.warnings)


def test_failed_requests_fail_naming_org_and_reason():
    api = FakeAep(DEV)
    with pytest.raises(AepStateError) as e:
        sharing.request_links(api, [PROD, THIRD], "Acme Dev Org")
    assert THIRD in e.value.msg and "not found" in e.value.msg
    kwargs = e.value.to_fail_kwargs()
    assert kwargs["changed"] is True  # the request to PROD did go out
    assert [h["targetIMSOrgId"] for h in kwargs["handshakes"]] == [PROD]
    assert kwargs["failed_requests"] == {THIRD: "Organization %s not found" % THIRD}


def test_request_check_mode_sends_nothing_and_predicts():
    api = FakeAep(DEV)
    result = sharing.request_links(api, [PROD], "Acme Dev Org", check_mode=True, wait=True)
    assert api.mutations == []
    assert result["changed"] is True
    assert result["handshakes"][0]["status"] == "APPROVAL_PENDING"
    assert result["handshakes"][0]["targetIMSOrgId"] == PROD


def test_lost_bulk_create_answer_is_not_sent_twice():
    api = FakeAep(DEV)
    api.lose_answer.add(("POST", EXIM + "/handshake/bulkCreate"))
    result = sharing.request_links(api, [PROD], "Acme Dev Org")
    assert len(api.mutations) == 1
    assert len(api.world["handshakes"]) == 1
    assert result["changed"] is True and result["handshakes"][0]["status"] == "APPROVAL_PENDING"


def test_bulk_create_sent_again_when_really_absent():
    api = FakeAep(DEV)
    api.refuse[("POST", EXIM + "/handshake/bulkCreate")] = AepConnectionError("POST", "x", "reset", kind="connection")
    sharing.request_links(api, [PROD], "Acme Dev Org")
    assert len(api.mutations) == 2 and len(api.world["handshakes"]) == 1


def test_tls_error_on_create_propagates():
    api = FakeAep(DEV)
    api.refuse[("POST", EXIM + "/handshake/bulkCreate")] = AepConnectionError("POST", "x", "bad cert", kind="tls")
    with pytest.raises(AepConnectionError):
        sharing.request_links(api, [PROD], "Acme Dev Org")
    assert len(api.mutations) == 1


def _approve_on_nth_read(api, n, status="APPROVED"):
    original = api._route
    reads = [0]

    def route(method, path, query, body):
        if (method, path) == ("GET", EXIM + "/handshake/list"):
            reads[0] += 1
            if reads[0] == n:
                for h in api.world["handshakes"]:
                    h["status"] = status
                    h["statusHistory"] = json.dumps([{"action": status, "reason": "not now"}])
        return original(method, path, query, body)

    api._route = route


def test_wait_until_approved():
    api = FakeAep(DEV)
    _approve_on_nth_read(api, 4)
    result = sharing.request_links(api, [PROD], "Acme Dev Org", wait=True, wait_timeout=60)
    assert result["handshakes"][0]["status"] == "APPROVED"
    assert result["diff"]["after"] == {PROD: "APPROVED"}


def test_wait_fails_on_rejected_with_reason():
    api = FakeAep(DEV)
    _approve_on_nth_read(api, 3, status="REJECTED")
    with pytest.raises(AepStateError) as e:
        sharing.request_links(api, [PROD], "Acme Dev Org", wait=True, wait_timeout=60)
    assert "REJECTED by %s" % PROD in e.value.msg and "not now" in e.value.msg


def test_wait_times_out_with_last_status(no_sleep):
    api = FakeAep(DEV)
    with pytest.raises(AepWaitTimeout) as e:
        sharing.request_links(api, [PROD], "Acme Dev Org", wait=True, wait_timeout=5)
    assert "%s: APPROVAL_PENDING" % PROD in e.value.msg
    assert e.value.to_fail_kwargs()["changed"] is True
    assert no_sleep[0] == pytest.approx(5)


# ------------------------------------------------------------------ handshakes: approved / rejected

def test_approve_by_org_sends_the_target_details():
    dev = FakeAep(DEV)
    sharing.request_links(dev, [PROD], "Acme Dev Org")
    prod = dev.as_org(PROD)
    result = sharing.act_on_request(prod, "APPROVED", PROD_DETAILS, reason="ok", from_org_id=DEV)
    assert result["changed"] is True and result["handshake"]["status"] == "APPROVED"
    body = prod.mutations[0][3]
    assert body["status"] == "APPROVED" and body["reason"] == "ok"
    assert body["targetIMSOrgDetails"] == {"id": PROD, "name": "Acme Prod Org", "region": "va6"}
    assert result["diff"] == {"before": {"status": "APPROVAL_PENDING"}, "after": {"status": "APPROVED"}}


def test_approve_again_is_no_change_one_read():
    api = FakeAep(PROD)
    h = link(api.world, DEV, PROD, "APPROVED")
    result = sharing.act_on_request(api, "APPROVED", PROD_DETAILS, linking_id=h["linkingId"])
    assert result["changed"] is False and len(api.calls) == 1 and api.mutations == []


def test_opposite_final_state_is_a_clear_failure():
    api = FakeAep(PROD)
    link(api.world, DEV, PROD, "REJECTED")
    with pytest.raises(AepStateError) as e:
        sharing.act_on_request(api, "APPROVED", PROD_DETAILS, from_org_id=DEV)
    assert "already REJECTED" in e.value.msg and "new request" in e.value.msg
    assert api.mutations == []


def test_pending_request_preferred_over_older_answered_one():
    api = FakeAep(PROD)
    link(api.world, DEV, PROD, "REJECTED", created=1)
    pending = link(api.world, DEV, PROD, "APPROVAL_PENDING", created=2)
    pending["statusHistory"] = json.dumps([])
    result = sharing.act_on_request(api, "APPROVED", PROD_DETAILS, from_org_id=DEV)
    assert result["changed"] is True and api.mutations[0][3]["linkingID"] == pending["linkingId"]


def test_no_incoming_request_names_what_was_seen():
    api = FakeAep(PROD)
    link(api.world, THIRD, PROD, "APPROVED", linking_id="l" * 32)
    with pytest.raises(AepStateError) as e:
        sharing.act_on_request(api, "REJECTED", PROD_DETAILS, from_org_id=DEV)
    assert "No incoming share request from %s" % DEV in e.value.msg and "l" * 32 in e.value.msg


def test_outgoing_request_is_not_answered_by_its_sender():
    api = FakeAep(DEV)
    h = link(api.world, DEV, PROD, "APPROVAL_PENDING")
    with pytest.raises(AepStateError):
        sharing.act_on_request(api, "APPROVED", PROD_DETAILS, linking_id=h["linkingId"])


def test_answer_check_mode_predicts_without_sending():
    api = FakeAep(PROD)
    link(api.world, DEV, PROD, "IN_PROGRESS")
    result = sharing.act_on_request(api, "REJECTED", PROD_DETAILS, from_org_id=DEV, check_mode=True)
    assert result["changed"] is True and result["handshake"]["status"] == "REJECTED" and api.mutations == []


def test_lost_action_answer_is_read_back():
    api = FakeAep(PROD)
    link(api.world, DEV, PROD, "APPROVAL_PENDING")
    api.lose_answer.add(("POST", EXIM + "/handshake/action"))
    result = sharing.act_on_request(api, "APPROVED", PROD_DETAILS, from_org_id=DEV)
    assert result["handshake"]["status"] == "APPROVED" and len(api.mutations) == 1


# ------------------------------------------------------------------ transfers: private

def test_private_transfer_needs_approved_links_and_names_the_orgs():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVAL_PENDING")
    with pytest.raises(AepStateError) as e:
        sharing.share_private(api, PKG, [PROD, THIRD])
    assert PROD in e.value.msg and "APPROVAL_PENDING" in e.value.msg
    assert "%s (no share request)" % THIRD in e.value.msg
    assert e.value.to_fail_kwargs()["orgs_without_link"] == [PROD, THIRD]
    assert api.mutations == []


def test_one_missing_link_blocks_every_target():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    with pytest.raises(AepStateError) as e:
        sharing.share_private(api, PKG, [PROD, THIRD])
    assert e.value.to_fail_kwargs()["orgs_without_link"] == [THIRD]
    assert api.mutations == []


def test_link_in_the_other_direction_counts():
    api = FakeAep(DEV)
    link(api.world, PROD, DEV, "APPROVED")
    result = sharing.share_private(api, PKG, [PROD], wait=False)
    assert result["changed"] is True and len(api.mutations) == 1


def test_private_transfer_sends_and_waits_until_completed():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    api.transfer_steps = ["PENDING", "IN_PROGRESS", "COMPLETED"]
    result = sharing.share_private(api, PKG, [PROD])
    assert api.mutations[0][3] == {"packageId": PKG, "targets": [{"imsOrgId": PROD}]}
    t = result["transfers"][0]
    assert t["status"] == "COMPLETED" and t["target_package_id"] == "f" * 32
    assert result["diff"] == {"before": {PROD: None}, "after": {PROD: "COMPLETED"}}


@pytest.mark.parametrize("status", ["PENDING", "IN_PROGRESS", "COMPLETED"])
def test_existing_transfer_is_not_sent_again(status):
    api = FakeAep(DEV)
    transfer(api.world, status)
    result = sharing.share_private(api, PKG, [PROD], wait=False)
    assert result["changed"] is False and api.mutations == []
    assert [c[:2] for c in api.calls] == [("GET", EXIM + "/transfer/list")]  # links not even read


def test_failed_transfer_is_sent_again_and_other_packages_do_not_count():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    transfer(api.world, "FAILED")
    transfer(api.world, "COMPLETED", package_id="a" * 32)
    transfer(api.world, "COMPLETED", rtype="PUBLIC")
    result = sharing.share_private(api, PKG, [PROD])
    assert result["changed"] is True and len(api.mutations) == 1


def test_only_missing_targets_are_sent():
    api = FakeAep(DEV)
    other = "AAAA0000BBBB1111CCCC2222@AdobeOrg"
    link(api.world, DEV, other, "APPROVED")
    done = transfer(api.world, "COMPLETED")
    result = sharing.share_private(api, PKG, [PROD, other])
    assert api.mutations[0][3]["targets"] == [{"imsOrgId": other}]
    assert [t["targetIMSOrgId"] for t in result["transfers"]] == [PROD, other]
    assert result["transfers"][0]["id"] == done["id"] and result["transfers"][0]["target_package_id"] == "e" * 32


def test_failed_transfer_fails_with_its_messages():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    api.transfer_steps = ["IN_PROGRESS", "FAILED"]
    with pytest.raises(AepStateError) as e:
        sharing.share_private(api, PKG, [PROD])
    assert "FAILED" in e.value.msg and "could not be transferred" in e.value.msg
    assert e.value.to_fail_kwargs()["changed"] is True


def test_transfer_wait_timeout_names_last_status():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    api.transfer_steps = ["IN_PROGRESS"] * 100
    with pytest.raises(AepWaitTimeout) as e:
        sharing.share_private(api, PKG, [PROD], wait_timeout=3)
    assert "IN_PROGRESS" in e.value.msg and e.value.to_fail_kwargs()["transfers"][0]["targetIMSOrgId"] == PROD


def test_private_check_mode_predicts_and_sends_nothing():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    result = sharing.share_private(api, PKG, [PROD], check_mode=True)
    assert api.mutations == [] and result["changed"] is True
    assert result["transfers"][0]["status"] == "PENDING" and result["transfers"][0]["id"] is None


def test_lost_transfer_answer_is_not_sent_twice():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    api.lose_answer.add(("POST", EXIM + "/transfer"))
    result = sharing.share_private(api, PKG, [PROD])
    assert len(api.mutations) == 1 and len(api.world["transfers"]) == 1
    assert result["transfers"][0]["status"] == "COMPLETED"


def test_transfer_sent_again_when_really_absent():
    api = FakeAep(DEV)
    link(api.world, DEV, PROD, "APPROVED")
    api.refuse[("POST", EXIM + "/transfer")] = AepConnectionError("POST", "x", "reset", kind="connection")
    sharing.share_private(api, PKG, [PROD])
    assert len(api.mutations) == 2 and len(api.world["transfers"]) == 1


# ------------------------------------------------------------------ public

def test_make_public_once():
    api = FakeAep(DEV)
    api.world["packages"][PKG] = dict(id=PKG, status="PUBLISHED", packageVisibility="private")
    result = sharing.make_public(api, PKG)
    assert result["changed"] is True and result["package"]["packageVisibility"] == "PUBLIC"
    assert api.mutations[0][:2] == ("PUT", EXIM + "/packages")
    assert api.mutations[0][3] == {"id": PKG, "action": "UPDATE", "packageVisibility": "PUBLIC"}
    api.calls[:] = []
    again = sharing.make_public(api, PKG)
    assert again["changed"] is False and len(api.calls) == 1


@pytest.mark.parametrize("status", [404, 405])
def test_make_public_falls_back_to_the_spec_path(status):
    api = FakeAep(DEV)
    api.put_packages_status = status
    api.world["packages"][PKG] = dict(id=PKG, status="PUBLISHED", packageVisibility="PRIVATE")
    assert sharing.make_public(api, PKG)["changed"] is True
    assert [c[1] for c in api.mutations] == [EXIM + "/packages", EXIM + "/packages/update"]


def test_make_public_other_errors_propagate():
    api = FakeAep(DEV)
    api.put_packages_status = 400
    api.world["packages"][PKG] = dict(id=PKG, status="DRAFT", packageVisibility="PRIVATE")
    with pytest.raises(AepApiError):
        sharing.make_public(api, PKG)
    assert len(api.mutations) == 1


def test_make_public_missing_package_and_check_mode():
    api = FakeAep(DEV)
    with pytest.raises(AepStateError, match="not found"):
        sharing.make_public(api, PKG)
    api.world["packages"][PKG] = dict(id=PKG, status="PUBLISHED", packageVisibility="PRIVATE")
    result = sharing.make_public(api, PKG, check_mode=True)
    assert result["changed"] is True and result["package"]["packageVisibility"] == "PUBLIC" and api.mutations == []


def test_pull_once_then_unchanged():
    prod = FakeAep(PROD)
    result = sharing.pull_public(prod, DEV, PKG)
    assert prod.mutations[0][3] == {"imsOrgId": DEV, "packageId": PKG}
    assert result["changed"] is True and result["transfers"][0]["status"] == "COMPLETED"
    prod.calls[:] = []
    again = sharing.pull_public(prod, DEV, PKG)
    assert again["changed"] is False and [c[:2] for c in prod.calls] == [("GET", EXIM + "/transfer/list")]


def test_pull_ignores_private_transfers_and_other_sources():
    prod = FakeAep(PROD)
    transfer(prod.world, "COMPLETED", rtype="PRIVATE")
    transfer(prod.world, "COMPLETED", rtype="PUBLIC", source=THIRD)
    result = sharing.pull_public(prod, DEV, PKG, check_mode=True)
    assert result["changed"] is True and prod.mutations == []


def test_lost_pull_answer_is_not_sent_twice():
    prod = FakeAep(PROD)
    prod.lose_answer.add(("POST", EXIM + "/transfer/pullRequest"))
    sharing.pull_public(prod, DEV, PKG)
    assert len(prod.mutations) == 1 and len(prod.world["transfers"]) == 1


# ------------------------------------------------------------------ helpers

def test_target_package_id_and_messages():
    assert sharing.with_target_package({"targetPackageId": "x"})["target_package_id"] == "x"
    assert sharing.with_target_package({"id": "t"})["target_package_id"] is None
    assert sharing.transfer_messages({"failureReason": "boom", "messages": [{"message": "m1"}, "m2"]}) == [
        "boom", "m1", "m2"]


def test_list_filters_by_status_client_side_too():
    api = FakeAep(DEV)
    api._route = lambda *a: [{"status": "APPROVED"}, {"status": "REJECTED"}]
    assert sharing.list_handshakes(api, "OUTGOING", ["APPROVED"]) == [{"status": "APPROVED"}]
    assert api.calls[0][2] == {"requestType": "OUTGOING", "property": "status==APPROVED"}
