# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from unittest.mock import MagicMock

from ansible_collections.aep.platform.plugins.module_utils import batches


def test_unwrap_catalog_envelope_and_bare_batch():
    assert batches._unwrap({"b1": {"status": "loading"}}, "b1") == {"id": "b1", "status": "loading"}
    assert batches._unwrap({"id": "b1", "status": "loading"}, "b1") == {"id": "b1", "status": "loading"}
    assert batches._unwrap({"other": {"status": "x"}}) == {"id": "other", "status": "x"}
    assert batches._unwrap(None, "b1") is None


def test_catalog_style_create_answer_is_read_back():
    """The Catalog spec answers a create with ["@/batches/<id>"]: the batch is read back by id."""
    client = MagicMock()
    client.post.return_value = ["@/batches/b9"]
    client.get.return_value = {"b9": {"status": "loading"}}
    assert batches.create_batch(client, "ds1", "csv") == {"id": "b9", "status": "loading"}
    client.get.assert_called_once_with(batches.CATALOG_BATCHES + "/b9", missing_ok=True)


def test_listing_filters_by_tag_and_dataset_client_side():
    """A server that ignores the tags filter must not make another batch look like ours."""
    client = MagicMock()
    client.get.return_value = {
        "a": {"relatedObjects": [{"type": "dataSet", "id": "ds1"}], "tags": {batches.REQUEST_TAG: ["mine"]}},
        "b": {"relatedObjects": [{"type": "dataSet", "id": "ds1"}], "tags": {batches.REQUEST_TAG: ["theirs"]}},
        "c": {"relatedObjects": [{"type": "dataSet", "id": "ds2"}], "tags": {batches.REQUEST_TAG: ["mine"]}},
    }
    assert [b["id"] for b in batches.list_batches(client, "ds1", "mine")] == ["a"]
    query = client.get.call_args[1]["query"]
    assert query["dataSet"] == "ds1" and query["tags"] == batches.REQUEST_TAG + ":mine"


def test_plan_transition():
    assert batches.plan_transition({"id": "b", "status": "loading"}, "completed") == ("COMPLETE", None)
    assert batches.plan_transition({"id": "b", "status": "LOADING"}, "aborted") == ("ABORT", None)
    assert batches.plan_transition({"id": "b", "status": "staging"}, "completed") == (None, None)
    assert batches.plan_transition({"id": "b", "status": "aborted"}, "aborted") == (None, None)
