# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Catalog batches: create (batch ingestion API), read (Catalog), complete and abort.

* create: ``POST /data/foundation/import/batches`` ``{datasetId, inputFormat: {format}, tags}`` -> 201 batch;
* read: ``GET /data/foundation/catalog/batches/{id}`` -> ``{"<id>": {...}}`` (unwrapped here);
* list: ``GET /data/foundation/catalog/batches?dataSet=<id>&tags=<name>:<value>`` -> ``{"<id>": {...}, ...}``;
* complete / abort: ``POST /data/foundation/import/batches/{id}?action=COMPLETE|ABORT``.

A batch has no natural key, so every create carries a Catalog tag
``aep_platform_request: [<random id>]``. A create that failed with a timeout
or a dropped connection is never sent again: the batch this very request may
have created is looked up by that tag and returned when found; otherwise the
task fails and says how to check.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import uuid

from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepConnectionError, AepError, AepStateError, AepValidationError,
)

IMPORT_BATCHES = "/data/foundation/import/batches"
CATALOG_BATCHES = "/data/foundation/catalog/batches"
INPUT_FORMATS = ("json", "parquet", "csv")
REQUEST_TAG = "aep_platform_request"
ID_RE = re.compile(r"^[^\s/?#%]+$")

OPEN_STATUSES = ("loading",)  # files may still be added; COMPLETE or ABORT is possible
ABORTED_STATUSES = ("aborted", "abandoned")
SUCCESS_STATUSES = ("success", "active")
FAILED_STATUSES = ("failed", "failure")
GONE_STATUSES = ("deleted",)


def validate_ref(value, option):
    """Batch and dataset ids: non-empty, no whitespace or URL delimiters."""
    if value is None:
        return None
    if not ID_RE.match(value):
        raise AepValidationError(option, "%r is not an id: expected a non-empty string without spaces, '/', '?', "
                                         "'#' or '%%', e.g. 5c8c3c555033b814b69f947f" % (value,))
    return value


def status_of(batch):
    return str((batch or {}).get("status") or "").lower()


def dataset_of(batch):
    for obj in (batch or {}).get("relatedObjects") or []:
        if isinstance(obj, dict) and obj.get("type") == "dataSet":
            return obj.get("id")
    return None


def _unwrap(body, batch_id=None):
    """Catalog answers ``{"<id>": {...}}``; accept a bare batch too."""
    if not isinstance(body, dict):
        return None
    if batch_id is not None and isinstance(body.get(batch_id), dict):
        return dict(body[batch_id], id=batch_id)
    if "id" in body or "status" in body:
        return body
    items = [(k, v) for k, v in body.items() if isinstance(v, dict)]
    if len(items) == 1:
        return dict(items[0][1], id=items[0][0])
    return None


def get_batch(client, batch_id):
    """The batch, or None when it does not exist."""
    return _unwrap(client.get("%s/%s" % (CATALOG_BATCHES, batch_id), missing_ok=True), batch_id)


def list_batches(client, dataset_id, tag_value=None):
    """Batches of a dataset, newest first, optionally only those with our request tag."""
    query = {"dataSet": dataset_id, "orderBy": "desc:created", "limit": 100}
    if tag_value:
        query["tags"] = "%s:%s" % (REQUEST_TAG, tag_value)
    body = client.get(CATALOG_BATCHES, query=query) or {}
    batches = [dict(v, id=k) for k, v in body.items() if isinstance(v, dict)] if isinstance(body, dict) else []
    batches = [b for b in batches if dataset_of(b) in (None, dataset_id)]
    if tag_value:
        batches = [b for b in batches if tag_value in ((b.get("tags") or {}).get(REQUEST_TAG) or [])]
    return batches


def create_body(dataset_id, input_format, request_tag):
    return {
        "datasetId": dataset_id,
        "inputFormat": {"format": input_format},
        "tags": {REQUEST_TAG: [request_tag]},
    }


def predicted_batch(dataset_id, input_format):
    """What a create would return, without the id the server assigns."""
    return {
        "status": "loading",
        "relatedObjects": [{"type": "dataSet", "id": dataset_id}],
        "inputFormat": {"format": input_format},
    }


def create_batch(client, dataset_id, input_format, request_tag=None):
    """Create a batch; never re-sent after an ambiguous failure (see the module docstring)."""
    request_tag = request_tag or uuid.uuid4().hex
    try:
        answer = client.post(IMPORT_BATCHES, json=create_body(dataset_id, input_format, request_tag))
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
        return _recover(client, dataset_id, request_tag, e)
    if isinstance(answer, dict) and answer.get("id"):
        return answer
    # The Catalog form of the answer: ["@/batches/<id>"]
    if isinstance(answer, list) and answer and isinstance(answer[0], str):
        batch_id = answer[0].rstrip("/").rsplit("/", 1)[-1]
        found = get_batch(client, batch_id)
        if found is not None:
            return found
        return dict(predicted_batch(dataset_id, input_format), id=batch_id)
    raise AepStateError("POST %s answered without a batch id: %r" % (IMPORT_BATCHES, answer))


def _recover(client, dataset_id, request_tag, error):
    how = ("List the dataset's batches with GET %s?dataSet=%s and look for the tag %s:%s before running the "
           "task again, so as not to create a second batch." % (CATALOG_BATCHES, dataset_id, REQUEST_TAG, request_tag))
    try:
        found = list_batches(client, dataset_id, request_tag)
    except AepError as e:
        raise AepStateError(
            "%s. A batch may have been created; looking for it failed too (%s). %s" % (error.msg, e.msg, how),
            call=error.extra.get("call"), error_kind=error.kind, request_tag=request_tag)
    if found:
        client.warnings.append("%s; the batch had been created nonetheless (id %s, tag %s:%s), not creating it "
                               "again" % (error.msg, found[0].get("id"), REQUEST_TAG, request_tag))
        return found[0]
    raise AepStateError(
        "%s. No batch tagged %s:%s is listed for dataset %s yet, but the request may still be processed, so it was "
        "not sent again. %s" % (error.msg, REQUEST_TAG, request_tag, dataset_id, how),
        call=error.extra.get("call"), error_kind=error.kind, request_tag=request_tag)


def batch_action(client, batch_id, action):
    """POST ?action=COMPLETE|ABORT (answers 200 with an empty body)."""
    return client.post("%s/%s" % (IMPORT_BATCHES, batch_id), query={"action": action})


def plan_transition(batch, state):
    """What ``state: completed|aborted`` needs: ``(action or None, warning or None)``.

    Raises AepStateError when the batch's status forbids it.
    """
    status = status_of(batch)
    bid = batch.get("id")
    if status in GONE_STATUSES:
        raise AepStateError("Batch %s is %s; it cannot be %s" % (bid, status, state), batch=batch)
    if state == "completed":
        if status in OPEN_STATUSES:
            return "COMPLETE", None
        if status in ABORTED_STATUSES:
            raise AepStateError("Batch %s is %s and cannot be completed" % (bid, status), batch=batch)
        if status in FAILED_STATUSES:
            return None, "batch %s was completed but its processing %s; see its errors" % (bid, status)
        return None, None  # already completed: processing, staged, success...
    if status in ABORTED_STATUSES:
        return None, None
    if status in SUCCESS_STATUSES:
        raise AepStateError("Batch %s is already %s and cannot be aborted" % (bid, status), batch=batch)
    return "ABORT", None


PREDICTED_STATUS = {"COMPLETE": "processing", "ABORT": "aborted"}
