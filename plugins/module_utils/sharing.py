# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cross-org sharing (``/data/foundation/exim``): org links (handshakes) and package transfers.

Shared by ``aep_handshake``, ``aep_handshake_info``, ``aep_transfer`` and
``aep_transfer_info``. Every function takes the module's ``AepClient`` and
returns plain dicts; decisions (what to send, what is already there) are made
here so that they can be unit-tested with a mocked client.

Natural keys, used to decide "already there" and to re-read after a create
that may have reached the server (timeout, dropped connection):

* a share link: the other org (``targetIMSOrgId`` of an OUTGOING request, or
  ``sourceIMSOrgId`` of an INCOMING one);
* a transfer: package id + target org (+ request type).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepConnectionError, AepStateError, AepValidationError, AepWaitTimeout,
)
from ansible_collections.aep.platform.plugins.module_utils import packages
from ansible_collections.aep.platform.plugins.module_utils.packages import EXIM, get_package
from ansible_collections.aep.platform.plugins.module_utils.waiter import wait_for

HANDSHAKE_PENDING = ("APPROVAL_PENDING", "IN_PROGRESS")
HANDSHAKE_STATUSES = ("APPROVAL_PENDING", "IN_PROGRESS", "APPROVED", "REJECTED")
HANDSHAKE_LINKED = HANDSHAKE_PENDING + ("APPROVED",)
HANDSHAKE_REQUEST_TYPES = ("INCOMING", "OUTGOING")
HANDSHAKE_ACTIONS = ("APPROVED", "REJECTED")

TRANSFER_STATUSES = ("PENDING", "IN_PROGRESS", "COMPLETED", "FAILED")
TRANSFER_ACTIVE = ("PENDING", "IN_PROGRESS", "COMPLETED")  # not sent again
TRANSFER_TERMINAL = ("COMPLETED", "FAILED")
TRANSFER_REQUEST_TYPES = ("PRIVATE", "PUBLIC")

# A create whose answer was lost may have been applied: re-read before sending again.

ORG_ID_RE = re.compile(r"^[^\s@]+@AdobeOrg$")

# Extra keyword arguments for waiter.wait_for (unit tests inject a sleeper and a clock).
WAIT_KWARGS = {}

DEFAULT_REASONS = {"APPROVED": "Approved with the aep.platform Ansible collection",
                   "REJECTED": "Rejected with the aep.platform Ansible collection"}


# ---------------------------------------------------------------- validation

def validate_org_id(value, option):
    if not ORG_ID_RE.match(value or ""):
        raise AepValidationError(option, "%r is not an IMS organization id: expected something like "
                                         "5C1328435BF324E90A49402A@AdobeOrg" % (value,))
    return value


def validate_org_ids(values, option, own_org=None):
    """A non-empty list of org ids, de-duplicated in order; the caller's own org is refused."""
    if not values:
        raise AepValidationError(option, "give at least one IMS organization id")
    seen = []
    for value in values:
        validate_org_id(value, option)
        if own_org and value == own_org:
            raise AepValidationError(option, "%s is this task's own org (auth.org_id); list the other orgs" % value)
        if value not in seen:
            seen.append(value)
    return seen


def validate_wait_timeout(value, option="wait_timeout"):
    if value is None or value < 0:
        raise AepValidationError(option, "must be a number of seconds, 0 or more, got %r" % (value,))
    return value


def validate_choices(values, choices, option):
    for value in values or []:
        if value not in choices:
            raise AepValidationError(option, "%r is not one of %s" % (value, ", ".join(choices)))
    return values


# ---------------------------------------------------------------- small helpers

def status_of(obj):
    value = (obj or {}).get("status")
    return str(value).upper() if value is not None else None


def _created(obj):
    value = (obj or {}).get("createdDate") or 0
    return value if isinstance(value, (int, float)) else 0


def _modified(obj):
    value = (obj or {}).get("modifiedDate") or 0
    return value if isinstance(value, (int, float)) else 0


def _property(statuses):
    return {"property": "status==%s" % ",".join(statuses)} if statuses else {}


def _only(items, statuses):
    """Client-side check of a server-side status filter (a server may filter loosely or not at all)."""
    if not statuses:
        return items
    return [i for i in items if status_of(i) in statuses]


def _wait(fetch, state_of, terminal, timeout, what):
    return wait_for(fetch, state_of, terminal, timeout, what, **WAIT_KWARGS)


# ---------------------------------------------------------------- handshakes

def list_handshakes(client, request_type=None, statuses=None):
    """Every share request of ``request_type`` (INCOMING/OUTGOING; None: both), all pages."""
    if request_type is None:
        items = []
        seen = set()
        for rtype in HANDSHAKE_REQUEST_TYPES[::-1]:  # OUTGOING first
            for item in list_handshakes(client, rtype, statuses):
                key = item.get("id") or item.get("linkingId") or id(item)
                if key not in seen:
                    seen.add(key)
                    items.append(item)
        return items
    query = dict(requestType=request_type)
    query.update(_property(statuses))
    return _only(client.paginate("%s/handshake/list" % EXIM, query=query), statuses)


def _link_rank(h):
    status = status_of(h)
    if status == "APPROVED":
        return 0
    if status in HANDSHAKE_PENDING:
        return 1
    return 2


def best_link(handshakes, org_key, org):
    """The link with ``org`` (on side ``org_key``): APPROVED first, then pending, then the latest other."""
    candidates = [h for h in handshakes if h.get(org_key) == org]
    if not candidates:
        return None
    return sorted(candidates, key=lambda h: (_link_rank(h), -_created(h)))[0]


def status_history(handshake):
    """The decoded ``statusHistory`` (the API sends it as a JSON string)."""
    raw = (handshake or {}).get("statusHistory")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    return raw if isinstance(raw, list) else []


def last_reason(handshake):
    for entry in reversed(status_history(handshake)):
        if isinstance(entry, dict) and entry.get("reason"):
            return entry["reason"]
    return None


def _failure_reason(value):
    if isinstance(value, dict):
        for key in ("reason", "message", "errorMessage", "detail", "title"):
            if value.get(key):
                return str(value[key])
        return json.dumps(value, sort_keys=True)
    return str(value)


def find_links(client, orgs):
    """``{org: link}`` for each of ``orgs`` with a pending or approved link, in either direction.

    OUTGOING requests are read first; INCOMING ones only for orgs still without
    a link, so that a run where every link exists costs one read.
    """
    outgoing = list_handshakes(client, "OUTGOING")
    links = {}
    for org in orgs:
        link = best_link(outgoing, "targetIMSOrgId", org)
        if link is not None:
            links[org] = link
    rest = [o for o in orgs if status_of(links.get(o)) not in HANDSHAKE_LINKED]
    if rest:
        incoming = list_handshakes(client, "INCOMING")
        for org in rest:
            link = best_link(incoming, "sourceIMSOrgId", org)
            if link is not None and (org not in links or _link_rank(link) < _link_rank(links[org])):
                links[org] = link
    return links


def _bulk_create(client, targets, source_name):
    body = dict(targetIMSOrgIds=list(targets), sourceIMSDetails=dict(id=client.org_id, name=source_name))
    answer = client.post("%s/handshake/bulkCreate" % EXIM, json=body) or {}
    ok, failed = {}, {}
    for key, value in (answer.get("successfulRequests") or {}).items():
        value = value if isinstance(value, dict) else {}
        ok[value.get("targetIMSOrgId") or key] = value
    for key, value in (answer.get("failedRequests") or {}).items():
        failed[key] = _failure_reason(value)
    return ok, failed


def send_share_requests(client, targets, source_name):
    """POST bulkCreate for ``targets``; return ``({org: handshake}, {org: reason})``.

    If the answer is lost (timeout, dropped connection) the OUTGOING list is read
    again and only the targets still without a pending/approved request are sent again.
    """
    try:
        return _bulk_create(client, targets, source_name)
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
    outgoing = list_handshakes(client, "OUTGOING")
    ok = {}
    for org in targets:
        link = best_link(outgoing, "targetIMSOrgId", org)
        if status_of(link) in HANDSHAKE_LINKED:
            ok[org] = link
    rest = [o for o in targets if o not in ok]
    failed = {}
    if rest:
        more, failed = _bulk_create(client, rest, source_name)
        ok.update(more)
    return ok, failed


def _predicted_request(client, org, source_name):
    return dict(sourceIMSOrgId=client.org_id, sourceIMSOrgName=source_name, targetIMSOrgId=org,
                status="APPROVAL_PENDING", linkingId=None)


def _other_org(client, link):
    if link.get("sourceIMSOrgId") == client.org_id:
        return str(link.get("targetIMSOrgId"))
    return str(link.get("sourceIMSOrgId"))


def request_links(client, targets, source_name, check_mode=False, wait=False, wait_timeout=600):
    """``state: requested``: a share request to every target without a pending/approved link.

    Returns ``dict(changed, handshakes, diff)``. ``failedRequests`` raise
    AepStateError naming each org and reason (with the requests that did go out).
    """
    links = find_links(client, targets)
    for org, link in links.items():
        if link.get("sourceIMSOrgId") == org and status_of(link) in HANDSHAKE_PENDING:
            client.warnings.append(
                "%s already sent this org a share request (linkingId %s) that waits for this org's approval; "
                "approve it with aep.platform.aep_handshake state=approved from this org"
                % (org, link.get("linkingId")))
    missing = [o for o in targets if status_of(links.get(o)) not in HANDSHAKE_LINKED]
    before = dict((o, status_of(links.get(o)) if o not in missing else None) for o in targets)
    created, failed = {}, {}
    if missing:
        if check_mode:
            created = dict((o, _predicted_request(client, o, source_name)) for o in missing)
        else:
            created, failed = send_share_requests(client, missing, source_name)
            for org in missing:
                if org not in created and org not in failed:
                    failed[org] = "the API answered neither success nor failure for this org"
    changed = bool(created)
    result = [created[o] if o in created else links[o] for o in targets if o not in failed]
    if failed:
        raise AepStateError(
            "The share request was refused for %s" % "; ".join("%s: %s" % (o, r) for o, r in sorted(failed.items())),
            changed=changed, handshakes=result, failed_requests=failed)
    if wait and not check_mode:
        result = wait_approved(client, result, wait_timeout, changed)
    after = dict((o, status_of(h)) for o, h in zip(targets, result))
    return dict(changed=changed, handshakes=result, diff=dict(before=before, after=after))


def wait_approved(client, handshakes, timeout, changed=False):
    """Poll until every link is APPROVED; REJECTED fails, a time-out names the last statuses."""
    tracked = dict((h.get("linkingId"), h) for h in handshakes if h.get("linkingId"))
    need_incoming = any(h.get("targetIMSOrgId") == client.org_id for h in handshakes)

    def fetch():
        if all(status_of(h) == "APPROVED" for h in tracked.values()):
            return tracked
        seen = list_handshakes(client, "OUTGOING")
        if need_incoming:
            seen = seen + list_handshakes(client, "INCOMING")
        for item in seen:
            if item.get("linkingId") in tracked:
                tracked[item["linkingId"]] = item
        return tracked

    def state_of(objs):
        states = [status_of(h) for h in objs.values()]
        if "REJECTED" in states:
            return "REJECTED"
        if all(s == "APPROVED" for s in states):
            return "APPROVED"
        return ", ".join("%s: %s" % (_other_org(client, h), status_of(h))
                         for h in objs.values() if status_of(h) != "APPROVED")

    try:
        _wait(fetch, state_of, ("APPROVED", "REJECTED"), timeout,
              "the share request(s) to be approved by %s" % ", ".join(_other_org(client, h) for h in handshakes))
    except AepWaitTimeout as e:
        e.extra.update(changed=changed, handshakes=_merge(handshakes, tracked, "linkingId"))
        raise
    result = _merge(handshakes, tracked, "linkingId")
    rejected = [h for h in result if status_of(h) == "REJECTED"]
    if rejected:
        raise AepStateError(
            "The share request was REJECTED by %s" % "; ".join(
                "%s (linkingId %s, reason: %s)" % (_other_org(client, h), h.get("linkingId"), last_reason(h) or "none given")
                for h in rejected),
            changed=changed, handshakes=result)
    return result


def _merge(originals, latest, key):
    return [latest.get(o.get(key), o) for o in originals]


def find_incoming(handshakes, linking_id=None, from_org_id=None):
    """The INCOMING request to act on: by linking id, or the pending (else latest) one from an org."""
    if linking_id:
        candidates = [h for h in handshakes if linking_id in (h.get("linkingId"), h.get("id"))]
    else:
        candidates = [h for h in handshakes if h.get("sourceIMSOrgId") == from_org_id]
    if not candidates:
        return None
    pending = [h for h in candidates if status_of(h) in HANDSHAKE_PENDING]
    return sorted(pending or candidates, key=lambda h: (-_created(h), -_modified(h)))[0]


def act_on_request(client, action, target_org, reason=None, linking_id=None, from_org_id=None, check_mode=False):
    """``state: approved|rejected``: answer an INCOMING share request.

    Already in ``action`` is not a change; the opposite final state fails.
    Returns ``dict(changed, handshake, diff)``.
    """
    incoming = list_handshakes(client, "INCOMING")
    current = find_incoming(incoming, linking_id, from_org_id)
    what = "linking id %s" % linking_id if linking_id else "from %s" % from_org_id
    if current is None:
        raise AepStateError(
            "No incoming share request %s for org %s (%d incoming request(s) seen%s)" % (
                what, client.org_id, len(incoming),
                ": " + ", ".join("%s from %s %s" % (h.get("linkingId"), h.get("sourceIMSOrgId"), status_of(h))
                                 for h in incoming[:10]) if incoming else ""))
    status = status_of(current)
    before = dict(status=status)
    if status == action:
        return dict(changed=False, handshake=current, diff=dict(before=before, after=before))
    if status not in HANDSHAKE_PENDING:
        raise AepStateError(
            "The share request %s from %s is already %s and cannot be %s; the source org has to "
            "send a new request" % (current.get("linkingId"), current.get("sourceIMSOrgId"), status, action.lower()),
            handshake=current)
    details = dict(id=target_org.get("id") or client.org_id, name=target_org.get("name"),
                   region=target_org.get("region"))
    body = dict(linkingID=current.get("linkingId"), status=action, reason=reason or DEFAULT_REASONS[action],
                targetIMSOrgDetails=details)
    if check_mode:
        after = dict(current, status=action)
    else:
        after = _post_action(client, body, current, action, linking_id, from_org_id)
    return dict(changed=True, handshake=after, diff=dict(before=before, after=dict(status=status_of(after))))


def _post_action(client, body, current, action, linking_id, from_org_id):
    try:
        answer = client.post("%s/handshake/action" % EXIM, json=body)
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
        again = find_incoming(list_handshakes(client, "INCOMING"), current.get("linkingId"))
        if status_of(again) == action:
            return again
        if status_of(again) not in HANDSHAKE_PENDING:
            raise
        answer = client.post("%s/handshake/action" % EXIM, json=body)
    if isinstance(answer, dict) and answer.get("status"):
        return answer
    return dict(current, status=action)


# ---------------------------------------------------------------- transfers

def list_transfers(client, request_type=None, statuses=None):
    """Every transfer (PRIVATE/PUBLIC; None: both) of this org, optionally by status, all pages."""
    query = {}
    if request_type:
        query["requestType"] = request_type
    query.update(_property(statuses))
    return _only(client.paginate("%s/transfer/list" % EXIM, query=query or None), statuses)


def get_transfer(client, transfer_id):
    return client.get("%s/transfer/%s" % (EXIM, transfer_id), missing_ok=True)


TARGET_PACKAGE_KEYS = ("targetPackageId", "targetPackageID", "destinationPackageId", "importedPackageId")


def target_package_id(transfer):
    for key in TARGET_PACKAGE_KEYS:
        if (transfer or {}).get(key):
            return transfer[key]
    return None


def with_target_package(transfer):
    """The transfer with ``target_package_id``: the package's id in the target org, when the API gives it."""
    out = dict(transfer or {})
    out["target_package_id"] = target_package_id(out)
    return out


_TRANSFER_RANK = {"COMPLETED": 0, "IN_PROGRESS": 1, "PENDING": 2}


def find_transfer(transfers, package_id, target_org, request_type=None, source_org=None):
    """The PENDING/IN_PROGRESS/COMPLETED transfer of ``package_id`` to ``target_org`` (COMPLETED first)."""
    candidates = [
        t for t in transfers
        if t.get("packageId") == package_id and t.get("targetIMSOrgId") == target_org
        and status_of(t) in TRANSFER_ACTIVE
        and (request_type is None or not t.get("requestType") or str(t["requestType"]).upper() == request_type)
        and (source_org is None or not t.get("sourceIMSOrgId") or t["sourceIMSOrgId"] == source_org)
    ]
    if not candidates:
        return None
    return sorted(candidates, key=lambda t: (_TRANSFER_RANK.get(status_of(t), 9), -_created(t)))[0]


def transfer_messages(transfer):
    """What the API says about a failed transfer."""
    out = []
    for key in ("failureReason", "errorMessage", "message", "reason", "statusMessage"):
        value = (transfer or {}).get(key)
        if value:
            out.append(str(value))
    for key in ("messages", "errors"):
        for item in (transfer or {}).get(key) or []:
            out.append(_failure_reason(item))
    return out


def require_links(client, orgs):
    """Fail (naming them) unless every org in ``orgs`` has an APPROVED link with this org."""
    links = find_links(client, orgs)
    missing = [o for o in orgs if status_of(links.get(o)) != "APPROVED"]
    if missing:
        described = []
        for org in missing:
            link = links.get(org)
            if link is None:
                described.append("%s (no share request)" % org)
            else:
                described.append("%s (share request %s is %s)" % (org, link.get("linkingId"), status_of(link)))
        raise AepStateError(
            "No approved share link between %s and %s; nothing was sent. Request one with "
            "aep.platform.aep_handshake (state: requested) from this org and approve it from the target org "
            "(state: approved)" % (client.org_id, ", ".join(described)),
            orgs_without_link=missing)
    return links


def _map_created(answer, targets, what):
    if isinstance(answer, dict):
        answer = answer.get("data") if isinstance(answer.get("data"), list) else [answer]
    items = [a for a in (answer or []) if isinstance(a, dict)]
    out = {}
    for item in items:
        if item.get("targetIMSOrgId") in targets:
            out[item["targetIMSOrgId"]] = item
    unmapped = [t for t in targets if t not in out]
    leftovers = [i for i in items if i.get("targetIMSOrgId") not in targets]
    if unmapped and len(unmapped) == len(leftovers):
        out.update(zip(unmapped, leftovers))
    unmapped = [t for t in targets if t not in out]
    if unmapped:
        raise AepStateError("%s answered without a transfer for %s" % (what, ", ".join(unmapped)),
                            changed=bool(out), transfers=[with_target_package(t) for t in out.values()])
    return out


def _post_transfer(client, package_id, targets):
    body = dict(packageId=package_id, targets=[dict(imsOrgId=t) for t in targets])
    return _map_created(client.post("%s/transfer" % EXIM, json=body), targets, "POST %s/transfer" % EXIM)


def send_transfers(client, package_id, targets):
    """POST /transfer for ``targets``; after a lost answer re-read the list and send only what is missing."""
    try:
        return _post_transfer(client, package_id, targets)
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
    existing = list_transfers(client, "PRIVATE")
    out = {}
    for org in targets:
        found = find_transfer(existing, package_id, org, "PRIVATE")
        if found is not None:
            out[org] = found
    rest = [o for o in targets if o not in out]
    if rest:
        out.update(_post_transfer(client, package_id, rest))
    return out


def _predicted_transfer(client, package_id, target, request_type, source=None):
    return dict(id=None, packageId=package_id, sourceIMSOrgId=source or client.org_id, targetIMSOrgId=target,
                status="PENDING", requestType=request_type)


def share_private(client, package_id, targets, check_mode=False, wait=True, wait_timeout=600):
    """Transfer a package to every target org that has no PENDING/IN_PROGRESS/COMPLETED transfer of it yet.

    One read (the PRIVATE transfer list) when nothing is to be sent; the share
    links are checked (all of them, before anything is sent) only for the
    targets that need a transfer. Returns ``dict(changed, transfers, diff)``.
    """
    existing = list_transfers(client, "PRIVATE")
    current = dict((o, find_transfer(existing, package_id, o, "PRIVATE")) for o in targets)
    missing = [o for o in targets if current[o] is None]
    created = {}
    if missing:
        require_links(client, missing)
        if check_mode:
            created = dict((o, _predicted_transfer(client, package_id, o, "PRIVATE")) for o in missing)
        else:
            created = send_transfers(client, package_id, missing)
    transfers = [current[o] or created[o] for o in targets]
    before = dict((o, status_of(current[o])) for o in targets)
    return _finish(client, transfers, targets, before, bool(created), check_mode, wait, wait_timeout,
                   "package %s" % package_id)


def _finish(client, transfers, keys, before, changed, check_mode, wait, wait_timeout, what):
    if wait and not check_mode:
        transfers = wait_transfers(client, transfers, wait_timeout, what, changed)
    transfers = [with_target_package(t) for t in transfers]
    after = dict((k, status_of(t)) for k, t in zip(keys, transfers))
    return dict(changed=changed, transfers=transfers, diff=dict(before=before, after=after))


def wait_transfers(client, transfers, timeout, what="the package", changed=False):
    """Poll each unfinished transfer until COMPLETED; FAILED raises with the transfer's messages."""
    tracked = dict((t.get("id"), t) for t in transfers if t.get("id"))

    def fetch():
        for tid, obj in list(tracked.items()):
            if status_of(obj) not in TRANSFER_TERMINAL:
                got = get_transfer(client, tid)
                if got:
                    tracked[tid] = got
        return tracked

    def state_of(objs):
        states = [status_of(t) for t in objs.values()]
        if "FAILED" in states:
            return "FAILED"
        if all(s == "COMPLETED" for s in states):
            return "COMPLETED"
        return ", ".join("transfer %s to %s: %s" % (t.get("id"), t.get("targetIMSOrgId"), status_of(t))
                         for t in objs.values() if status_of(t) != "COMPLETED")

    if tracked:
        try:
            _wait(fetch, state_of, TRANSFER_TERMINAL, timeout, "the transfer(s) of %s to complete" % what)
        except AepWaitTimeout as e:
            e.extra.update(changed=changed,
                           transfers=[with_target_package(t) for t in _merge(transfers, tracked, "id")])
            raise
    result = _merge(transfers, tracked, "id")
    failed = [t for t in result if status_of(t) == "FAILED"]
    if failed:
        raise AepStateError(
            "The transfer of %s FAILED: %s" % (what, "; ".join(
                "transfer %s to %s: %s" % (t.get("id"), t.get("targetIMSOrgId"),
                                           " / ".join(transfer_messages(t)) or "no message given")
                for t in failed)),
            changed=changed, transfers=[with_target_package(t) for t in result])
    return result


def make_public(client, package_id, check_mode=False):
    """Set a package of this org to PUBLIC visibility. Returns ``dict(changed, package, diff)``."""
    package = get_package(client, package_id)
    if package is None:
        raise AepStateError("Package %s not found in org %s" % (package_id, client.org_id))
    visibility = str(package.get("packageVisibility") or "PRIVATE").upper()
    before = dict(packageVisibility=visibility)
    if visibility == "PUBLIC":
        return dict(changed=False, package=package, diff=dict(before=before, after=before))
    if check_mode:
        after = dict(package, packageVisibility="PUBLIC")
    else:
        after = _put_public(client, package_id)
        if not isinstance(after, dict) or not after.get("id"):
            after = dict(package, packageVisibility="PUBLIC")
    return dict(changed=True, package=after, diff=dict(before=before, after=dict(packageVisibility="PUBLIC")))


def _put_public(client, package_id):
    try:
        return packages.make_public(client, package_id)
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
        again = get_package(client, package_id)
        if str((again or {}).get("packageVisibility") or "").upper() == "PUBLIC":
            return again
        return packages.make_public(client, package_id)


def _post_pull(client, source_org_id, package_id):
    answer = client.post("%s/transfer/pullRequest" % EXIM, json=dict(imsOrgId=source_org_id, packageId=package_id))
    if isinstance(answer, list):
        answer = answer[0] if answer else None
    if not isinstance(answer, dict):
        raise AepStateError("POST %s/transfer/pullRequest answered without a transfer" % EXIM, changed=True)
    return answer


def pull_public(client, source_org_id, package_id, check_mode=False, wait=True, wait_timeout=600):
    """Pull a public package of ``source_org_id`` into this org, unless already pulled (or being pulled)."""
    me = client.org_id
    existing = list_transfers(client, "PUBLIC")
    current = find_transfer(existing, package_id, me, "PUBLIC", source_org_id)
    changed = current is None
    if current is not None:
        transfer = current
    elif check_mode:
        transfer = _predicted_transfer(client, package_id, me, "PUBLIC", source_org_id)
    else:
        try:
            transfer = _post_pull(client, source_org_id, package_id)
        except AepConnectionError as e:
            if not e.maybe_sent:
                raise
            transfer = find_transfer(list_transfers(client, "PUBLIC"), package_id, me, "PUBLIC", source_org_id)
            if transfer is None:
                transfer = _post_pull(client, source_org_id, package_id)
    before = {me: status_of(current)}
    return _finish(client, [transfer], [me], before, changed, check_mode, wait, wait_timeout,
                   "public package %s of %s" % (package_id, source_org_id))
