#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: aep_batch
short_description: Create, complete or abort a Catalog batch for a dataset in Adobe Experience Platform
version_added: 0.1.0
description:
  - Without O(id), creates a batch for O(dataset_id) with C(POST /data/foundation/import/batches), so that files
    can be uploaded into the dataset.
  - With O(id), reads the batch (C(GET /data/foundation/catalog/batches/{id})) and, for O(state=completed) or
    O(state=aborted), signals the end of the upload or abandons the batch
    (C(POST /data/foundation/import/batches/{id}?action=COMPLETE|ABORT)).
author: aep.platform contributors (@aep-platform)
options:
  dataset_id:
    description:
      - The id of the dataset the batch belongs to, for example V(5c8c3c555033b814b69f947f).
      - Required to create a batch. With O(id) it is checked against the batch's dataset.
    type: str
  input_format:
    description:
      - The format of the files that will be uploaded into a new batch (C(inputFormat.format)).
    type: str
    choices: [json, parquet, csv]
    default: json
  id:
    description:
      - The id of an existing batch. Required when O(state) is V(completed) or V(aborted).
    type: str
  state:
    description:
      - V(present) without O(id) creates a new batch. A batch has no name, so B(every run creates one and
        reports a change); register the result to use its id. V(present) with O(id) only reads the batch.
      - V(completed) completes the batch (C(action=COMPLETE)); no change if it was already completed
        (processing, staged, success...). An aborted batch cannot be completed.
      - V(aborted) aborts the batch (C(action=ABORT)); no change if it is already aborted. A successful batch
        cannot be aborted.
    type: str
    choices: [present, completed, aborted]
    default: present
extends_documentation_fragment:
  - aep.platform.auth
  - aep.platform.attributes
notes:
  - A create is always a change and cannot be made idempotent, because a batch has no natural key. In check
    mode the predicted batch is returned without an id.
  - Every create tags the batch with C(aep_platform_request) set to a random value. If the create fails with a
    timeout or a dropped connection, the request may still have created the batch; it is never sent again. The
    module looks the batch up by that tag (C(GET /data/foundation/catalog/batches?dataSet=...&tags=...)) and
    returns it when found; otherwise the task fails, naming the tag to look for before running it again.
  - Completing or aborting an already completed or aborted batch costs one read request and reports no change.
"""

EXAMPLES = r"""
- name: Create a batch for JSON files
  aep.platform.aep_batch:
    sandbox: prod
    dataset_id: 5c8c3c555033b814b69f947f
    input_format: json
  register: batch

- name: Signal that every file is uploaded
  aep.platform.aep_batch:
    sandbox: prod
    id: "{{ batch.batch.id }}"
    state: completed

- name: Abandon a batch
  aep.platform.aep_batch:
    sandbox: prod
    id: 5d01230fc78a4e4f8c0c6b387b4b8d1c
    state: aborted
"""

RETURN = r"""
batch:
  description:
    - The batch as Catalog knows it. In check mode the predicted batch; a batch that would be created has no C(id).
  returned: always
  type: dict
  sample:
    id: 5d01230fc78a4e4f8c0c6b387b4b8d1c
    status: loading
    created: 1552694873602
    relatedObjects: [{type: dataSet, id: 5c8c3c555033b814b69f947f}]
    inputFormat: {format: json}
    tags: {aep_platform_request: [0f6a33f5bb9c4e7d9d3a1c5e8b7f2a10]}
  contains:
    id:
      description: The batch id. Absent from a batch predicted in check mode.
      type: str
      returned: when the batch exists
    status:
      description: The batch status, for example V(loading), V(processing), V(success), V(failed), V(aborted).
      type: str
    relatedObjects:
      description: The dataset the batch belongs to (C(type=dataSet)).
      type: list
      elements: dict
    inputFormat:
      description: The format of the batch's files.
      type: dict
msg:
  description: What was done, or in check mode what would be done.
  returned: always
  type: str
  sample: Created batch 5d01230fc78a4e4f8c0c6b387b4b8d1c for dataset 5c8c3c555033b814b69f947f
diff:
  description: The batch's C(status) (and dataset for a create), before and after. With C(--diff) only.
  returned: when diff mode is on
  type: dict
  sample:
    before: {status: loading}
    after: {status: success}
"""

from ansible_collections.aep.platform.plugins.module_utils.aep_module import run_module
from ansible_collections.aep.platform.plugins.module_utils.batches import (
    PREDICTED_STATUS, batch_action, create_batch, dataset_of, get_batch, plan_transition, predicted_batch,
    status_of, validate_ref,
)
from ansible_collections.aep.platform.plugins.module_utils.errors import AepStateError, AepValidationError


def _view(batch):
    return dict(status=status_of(batch) or None, dataset_id=dataset_of(batch))


def run(module, client):
    params = module.params
    dataset_id = validate_ref(params.get("dataset_id"), "dataset_id")
    batch_id = validate_ref(params.get("id"), "id")
    state = params["state"]

    if batch_id is None:
        # state: present without id (completed/aborted need an id: required_if)
        if dataset_id is None:
            raise AepValidationError("dataset_id", "required to create a batch (or give id to read one)")
        if module.check_mode:
            batch = predicted_batch(dataset_id, params["input_format"])
            msg = ("Check mode: a batch would be created for dataset %s (it has no id until it is really "
                   "created)" % dataset_id)
        else:
            batch = create_batch(client, dataset_id, params["input_format"])
            msg = "Created batch %s for dataset %s" % (batch.get("id"), dataset_id)
        return dict(changed=True, batch=batch, msg=msg, diff=dict(before={}, after=_view(batch)))

    current = get_batch(client, batch_id)
    if current is None:
        raise AepStateError("Batch %s does not exist in sandbox %s" % (batch_id, params.get("sandbox")))
    if dataset_id is not None and dataset_of(current) not in (None, dataset_id):
        raise AepStateError("Batch %s belongs to dataset %s, not to dataset_id %s" % (
            batch_id, dataset_of(current), dataset_id), batch=current)
    if state == "present":
        return dict(changed=False, batch=current, msg="Batch %s is %s" % (batch_id, status_of(current)),
                    diff=dict(before=_view(current), after=_view(current)))

    action, warning = plan_transition(current, state)
    if warning:
        client.warnings.append(warning)
    if action is None:
        return dict(changed=False, batch=current,
                    msg="Batch %s is already %s" % (batch_id, status_of(current)),
                    diff=dict(before=_view(current), after=_view(current)))
    if module.check_mode:
        after = dict(current, status=PREDICTED_STATUS[action])
        msg = "Check mode: batch %s would be %s (action=%s)" % (batch_id, state, action)
    else:
        batch_action(client, batch_id, action)
        after = get_batch(client, batch_id) or dict(current, status=PREDICTED_STATUS[action])
        msg = "Batch %s %s (action=%s), now %s" % (batch_id, state, action, status_of(after))
    return dict(changed=True, batch=after, msg=msg, diff=dict(before=_view(current), after=_view(after)))


def main():
    argument_spec = dict(
        dataset_id=dict(type="str"),
        input_format=dict(type="str", default="json", choices=["json", "parquet", "csv"]),
        id=dict(type="str"),
        state=dict(type="str", default="present", choices=["present", "completed", "aborted"]),
    )
    run_module(
        run, argument_spec,
        required_if=[("state", "completed", ["id"]), ("state", "aborted", ["id"])],
        required_one_of=[("dataset_id", "id")],
    )


if __name__ == "__main__":
    main()
