# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""aep_batch: create, complete, abort; check mode; a dropped create is never re-sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.aep.platform.plugins.module_utils.batches import (
    CATALOG_BATCHES, IMPORT_BATCHES, REQUEST_TAG,
)
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepConnectionError, AepStateError, AepValidationError,
)
from ansible_collections.aep.platform.plugins.modules import aep_batch

DS = "5c8c3c555033b814b69f947f"
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class Module:
    def __init__(self, check_mode=False, **params):
        self.params = dict(dataset_id=None, input_format="json", id=None, state="present", sandbox="prod")
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = True


class FakeApi:
    """In-memory import + catalog batch endpoints with the simulator's rules."""

    def __init__(self, batches=None, drop_create=None, list_fails=False):
        self.batches = dict((b["id"], dict(b)) for b in batches or [])
        self.calls = []
        self.warnings = []
        self.drop_create = drop_create  # None, "landed", "lost"
        self.list_fails = list_fails
        self.n = 0

    def writes(self):
        return [c for c in self.calls if c[0] in WRITES]

    def get(self, path, query=None, missing_ok=False, **kwargs):
        self.calls.append(("GET", path, query))
        if path == CATALOG_BATCHES:
            if self.list_fails:
                raise AepConnectionError("GET", path, "connection refused", kind="connection")
            return dict((k, dict((kk, vv) for kk, vv in v.items() if kk != "id")) for k, v in self.batches.items()
                        if v["relatedObjects"][0]["id"] == query["dataSet"])
        bid = path.rsplit("/", 1)[-1]
        if bid not in self.batches:
            if missing_ok:
                return None
            raise AepApiError("GET", path, 404, body={"title": "Not Found"})
        b = dict(self.batches[bid])
        del b["id"]
        return {bid: b}  # catalog's envelope

    def post(self, path, json=None, query=None, **kwargs):
        self.calls.append(("POST", path, dict(json=json, query=query)))
        if path == IMPORT_BATCHES:
            self.n += 1
            bid = "b%031d" % self.n
            batch = dict(id=bid, status="loading", relatedObjects=[{"type": "dataSet", "id": json["datasetId"]}],
                         inputFormat=json["inputFormat"], tags=dict(json.get("tags") or {}, acp_producer=["x"]))
            if self.drop_create:
                if self.drop_create == "landed":
                    self.batches[bid] = batch
                raise AepConnectionError("POST", path, "connection aborted", kind="connection")
            self.batches[bid] = batch
            return dict(batch)
        bid = path.rsplit("/", 1)[-1]
        b = self.batches[bid]
        if query["action"] == "COMPLETE":
            b["status"] = "success"
        else:
            b["status"] = "aborted"
        return None


def batch(bid="b1", status="loading", ds=DS):
    return dict(id=bid, status=status, relatedObjects=[{"type": "dataSet", "id": ds}], inputFormat={"format": "json"})


def run(api, check_mode=False, **params):
    return aep_batch.run(Module(check_mode=check_mode, **params), api)


def test_create_is_always_a_change_and_tags_the_request():
    api = FakeApi()
    first = run(api, dataset_id=DS, input_format="parquet")
    second = run(api, dataset_id=DS, input_format="parquet")
    assert first["changed"] is True and second["changed"] is True
    assert first["batch"]["id"] != second["batch"]["id"]
    assert first["batch"]["status"] == "loading"
    body = api.calls[0][2]["json"]
    assert body["datasetId"] == DS and body["inputFormat"] == {"format": "parquet"}
    assert len(body["tags"][REQUEST_TAG]) == 1
    assert [c[0] for c in api.calls] == ["POST", "POST"]  # no read needed for a create
    assert first["diff"] == {"before": {}, "after": {"status": "loading", "dataset_id": DS}}


def test_create_in_check_mode_predicts_without_id():
    api = FakeApi()
    result = run(api, check_mode=True, dataset_id=DS)
    assert result["changed"] is True
    assert "id" not in result["batch"] and result["batch"]["status"] == "loading"
    assert result["batch"]["inputFormat"] == {"format": "json"}
    assert "no id" in result["msg"]
    assert api.calls == []


def test_dropped_create_that_landed_returns_that_batch_without_resending():
    api = FakeApi(drop_create="landed")
    result = run(api, dataset_id=DS)
    assert result["changed"] is True and result["batch"]["id"] in api.batches
    assert len(api.writes()) == 1
    lookup = api.calls[1]
    assert lookup[0] == "GET" and lookup[1] == CATALOG_BATCHES
    assert lookup[2]["dataSet"] == DS and lookup[2]["tags"].startswith(REQUEST_TAG + ":")
    assert any("not creating it again" in w for w in api.warnings)


def test_dropped_create_of_another_batch_is_not_mistaken_for_ours():
    """A batch of the same dataset without our tag is not returned."""
    api = FakeApi([dict(batch("other"), tags={REQUEST_TAG: ["someone-else"]})], drop_create="lost")
    with pytest.raises(AepStateError) as e:
        run(api, dataset_id=DS)
    assert len(api.writes()) == 1
    msg = e.value.msg
    assert "POST %s failed" % IMPORT_BATCHES in msg
    assert "not sent again" in msg and "GET %s?dataSet=%s" % (CATALOG_BATCHES, DS) in msg
    assert e.value.extra["request_tag"] in msg


def test_dropped_create_and_failing_lookup_fail_clearly():
    api = FakeApi(drop_create="lost", list_fails=True)
    with pytest.raises(AepStateError) as e:
        run(api, dataset_id=DS)
    assert "A batch may have been created" in e.value.msg and "looking for it failed too" in e.value.msg
    assert len(api.writes()) == 1


def test_complete_then_idempotent():
    api = FakeApi([batch()])
    result = run(api, id="b1", state="completed")
    assert result["changed"] is True and result["batch"]["status"] == "success"
    assert result["batch"]["id"] == "b1"  # unwrapped from the catalog's {"<id>": {...}}
    assert ("POST", IMPORT_BATCHES + "/b1", dict(json=None, query={"action": "COMPLETE"})) in api.calls
    assert result["diff"] == {"before": {"status": "loading", "dataset_id": DS},
                              "after": {"status": "success", "dataset_id": DS}}
    api.calls = []
    result = run(api, id="b1", state="completed")
    assert result["changed"] is False
    assert api.calls == [("GET", CATALOG_BATCHES + "/b1", None)]  # one read


@pytest.mark.parametrize("status", ["processing", "staged", "success"])
def test_completed_batches_are_not_completed_again(status):
    api = FakeApi([batch(status=status)])
    assert run(api, id="b1", state="completed")["changed"] is False
    assert api.writes() == []


def test_failed_batch_is_completed_already_with_a_warning():
    api = FakeApi([batch(status="failed")])
    assert run(api, id="b1", state="completed")["changed"] is False
    assert "failed" in api.warnings[0]


def test_abort_then_idempotent():
    api = FakeApi([batch()])
    assert run(api, id="b1", state="aborted")["batch"]["status"] == "aborted"
    api.calls = []
    assert run(api, id="b1", state="aborted")["changed"] is False
    assert len(api.calls) == 1 and api.writes() == []


def test_check_mode_complete_sends_no_write():
    api = FakeApi([batch()])
    result = run(api, check_mode=True, id="b1", state="completed")
    assert result["changed"] is True and result["batch"]["status"] == "processing"
    assert api.writes() == [] and api.batches["b1"]["status"] == "loading"


@pytest.mark.parametrize("status,state,word", [
    ("aborted", "completed", "cannot be completed"),
    ("success", "aborted", "cannot be aborted"),
    ("deleted", "completed", "deleted"),
])
def test_impossible_transitions_fail_before_writing(status, state, word):
    api = FakeApi([batch(status=status)])
    with pytest.raises(AepStateError) as e:
        run(api, id="b1", state=state)
    assert word in e.value.msg and api.writes() == []


def test_unknown_batch_fails_clearly():
    api = FakeApi()
    with pytest.raises(AepStateError) as e:
        run(api, id="nope", state="completed")
    assert "Batch nope does not exist in sandbox prod" in e.value.msg


def test_dataset_mismatch_fails():
    api = FakeApi([batch(ds="otherdataset")])
    with pytest.raises(AepStateError) as e:
        run(api, id="b1", dataset_id=DS, state="completed")
    assert "belongs to dataset otherdataset" in e.value.msg and api.writes() == []


def test_present_with_id_reads_only():
    api = FakeApi([batch()])
    result = run(api, id="b1")
    assert result["changed"] is False and result["batch"]["status"] == "loading"
    assert len(api.calls) == 1


@pytest.mark.parametrize("params,option", [
    (dict(dataset_id="has space"), "dataset_id"),
    (dict(dataset_id=""), "dataset_id"),
    (dict(dataset_id="a/b"), "dataset_id"),
    (dict(id="x?action=ABORT", state="completed"), "id"),
    (dict(), "dataset_id"),
])
def test_bad_input_fails_before_any_request(params, option):
    api = FakeApi()
    with pytest.raises(AepValidationError) as e:
        run(api, **params)
    assert e.value.option == option
    assert api.calls == []
