# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""External audience metadata (``/data/core/ais/audiences``).

Adobe documents only the create call, ``POST /audiences?createAudienceMetaOnly=true``
with the mandatory ``Accept: application/vnd.adobe.external.audiences+json; version=2``
header. To be idempotent the collection also relies on (our documented assumption,
implemented by the simulator):

* ``GET /audiences?property=namespace==X&property=audienceId==Y`` (paged ``{data, hasNextPage}``);
* ``PATCH /audiences/{id}`` ``{name?, description?}``;
* ``DELETE /audiences/{id}``.

An audience's natural key is (``namespace``, ``audienceId``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepConnectionError, AepStateError, AepValidationError,
)

AIS = "/data/core/ais"
AUDIENCES = AIS + "/audiences"
AUDIENCE_ACCEPT = "application/vnd.adobe.external.audiences+json; version=2"
CREATE_QUERY = {"createAudienceMetaOnly": "true"}

# module option -> API field
FIELDS = (
    ("name", "name"),
    ("description", "description"),
    ("audience_id", "audienceId"),
    ("namespace", "namespace"),
    ("origin_name", "originName"),
)
UPDATABLE = ("name", "description")


def desired_from_params(params):
    """The API body for the options the task sets (``None`` = not set)."""
    return dict((api, params.get(option)) for option, api in FIELDS)


def validate(params):
    """Raise AepValidationError for a bad option, before any request."""
    for option in ("namespace", "audience_id"):
        value = params.get(option)
        if value is None or not str(value).strip():
            raise AepValidationError(option, "must be a non-empty string (the audience is found by namespace "
                                             "and audience_id)")
    if params.get("state", "present") == "present":
        name = params.get("name")
        if name is None or not str(name).strip():
            raise AepValidationError("name", "must be a non-empty string when state is present")
    origin = params.get("origin_name")
    if origin is not None and not str(origin).strip():
        raise AepValidationError("origin_name", "must not be empty; leave it out instead")


def audience_path(audience_id):
    return "%s/%s" % (AUDIENCES, audience_id)


def find_audience(client, namespace, audience_id):
    """The audience with this (namespace, audienceId), or None.

    The API is asked to filter, and the answer is checked again for an exact
    match, because a comma in a value would be read as an OR by the filter.
    """
    query = {"property": ["namespace==%s" % namespace, "audienceId==%s" % audience_id]}
    matches = [a for a in client.paginate(AUDIENCES, query=query)
               if isinstance(a, dict) and a.get("namespace") == namespace and a.get("audienceId") == audience_id]
    if len(matches) > 1:
        client.warnings.append("%d audiences have namespace %r and audience_id %r (ids %s); using the first" % (
            len(matches), namespace, audience_id, ", ".join(str(a.get("id")) for a in matches)))
    return matches[0] if matches else None


def get_audience(client, system_id):
    return client.get(audience_path(system_id), missing_ok=True)


def _post(client, body):
    return client.post(AUDIENCES, json=body, query=dict(CREATE_QUERY), headers={"Accept": AUDIENCE_ACCEPT})


def _complete(answer, body):
    """Adobe answers a create with ``{id, name, audienceId}`` only: add what we sent."""
    result = dict((k, v) for k, v in body.items() if v is not None)
    if isinstance(answer, dict):
        result.update(answer)
    return result


def create_audience(client, body):
    """Create the audience; return it with its system ``id``.

    A POST that failed with a timeout or a dropped connection may have
    created the audience: it is looked up by (namespace, audienceId) first,
    and only sent again if it is really absent.
    """
    body = dict((k, v) for k, v in body.items() if v is not None)
    try:
        return _complete(_post(client, body), body)
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
        first_error = e
    found = find_audience(client, body["namespace"], body["audienceId"])
    if found is not None:
        client.warnings.append("%s; the audience had been created nonetheless (id %s), not creating it again" % (
            first_error.msg, found.get("id")))
        return found
    client.warnings.append("%s; no audience with namespace %r and audience_id %r exists, so it is created again" % (
        first_error.msg, body["namespace"], body["audienceId"]))
    try:
        return _complete(_post(client, body), body)
    except AepApiError as e:
        if e.status != 409:
            raise
        # The first POST landed after all (a slow server): read it back.
        found = find_audience(client, body["namespace"], body["audienceId"])
        if found is None:
            raise
        return found


def update_audience(client, current, desired, keys):
    """PATCH the changed updatable ``keys``; return the audience as it is now.

    An API that refuses the update (405, 404 on the PATCH route, 400) is
    reported as an AepStateError that names what differs.
    """
    patch = dict((k, desired[k]) for k in keys)
    try:
        answer = client.patch(audience_path(current["id"]), json=patch)
    except AepApiError as e:
        raise AepStateError(
            "The audience %s (namespace %r, audience_id %r) exists with %s, but the API refused to update it "
            "(%s). Change it in Audience Portal, or delete it (state: absent) and create it again." % (
                current.get("id"), current.get("namespace"), current.get("audienceId"),
                ", ".join("%s %r instead of %r" % (k, current.get(k), desired[k]) for k in keys), e.msg),
            audience=current, call=e.extra.get("call"), status=e.status, error_code=e.code,
            request_id=e.request_id)
    result = dict(current)
    result.update(patch)
    if isinstance(answer, dict) and answer.get("id"):
        result.update(answer)
    return result


def immutable_differences(current, desired):
    """Set fields that differ but cannot be updated (``originName``)."""
    return [k for k, v in desired.items()
            if v is not None and k not in UPDATABLE and current.get(k) != v]


def delete_audience(client, current):
    client.delete(audience_path(current["id"]), missing_ok=True)
