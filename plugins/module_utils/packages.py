# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sandbox tooling packages and jobs (``/data/foundation/exim``): lookups shared by modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import datetime
import re
import time

from ansible_collections.aep.platform.plugins.module_utils.aep_module import validate_sandbox
from ansible_collections.aep.platform.plugins.module_utils.client import with_fallback
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepApiError, AepConnectionError, AepStateError, AepValidationError,
)
from ansible_collections.aep.platform.plugins.module_utils.sync import make_diff
from ansible_collections.aep.platform.plugins.module_utils.waiter import wait_for

EXIM = "/data/foundation/exim"

# Artifact types a package may list (Adobe's table); answers may also carry others.
ARTIFACT_TYPES = (
    "JOURNEY", "ID_NAMESPACE", "REGISTRY_DATATYPE", "REGISTRY_CLASS", "REGISTRY_MIXIN", "REGISTRY_SCHEMA",
    "CATALOG_DATASET", "DULE_CONSENT_POLICY", "PROFILE_SEGMENT", "FLOW",
)
PACKAGE_STATUSES = ("DRAFT", "PUBLISH_IN_PROGRESS", "PUBLISHED", "PUBLISH_FAILED")
JOB_STATUSES = ("PENDING", "IN_PROGRESS", "SUCCESS", "FAILED", "CANCELLED")
JOB_TERMINAL = ("SUCCESS", "FAILED", "CANCELLED")
REQUEST_TYPES = ("EXPORT", "IMPORT", "COPY")
ID_RE = re.compile(r"^[0-9a-fA-F]{32}$")
FAILURE_WORDS = ("ERROR", "FAILED", "FAILURE")


def validate_id(value, option):
    """Package, job and transfer ids are 32 hex characters."""
    if value is not None and not ID_RE.match(value):
        raise AepValidationError(option, "%r is not an id: expected 32 hexadecimal characters" % (value,))
    return value


def get_package(client, package_id):
    """The package, or None when it does not exist."""
    return client.get("%s/packages/%s" % (EXIM, package_id), missing_ok=True)


def find_package_by_name(client, name):
    """The org's package named ``name`` (names are unique within an org), or None.

    The API filters by name, but the answer is checked again for the exact name
    because a server may match loosely.
    """
    matches = [p for p in list_packages(client, name=name) if p.get("name") == name]
    return matches[0] if matches else None


def resolve_package(client, id_or_name):
    """A package given by id (32 hex) or by name; None when absent."""
    if ID_RE.match(id_or_name or ""):
        found = get_package(client, id_or_name)
        if found is not None:
            return found
    return find_package_by_name(client, id_or_name)


def artifact_keys(package):
    """The set of (id, type) a package lists."""
    return set((a.get("id"), a.get("type")) for a in (package or {}).get("artifactsList") or [])


def get_job(client, job_id):
    """The job object from ``/tools/job/{id}`` (unwrapped from its ``object`` envelope), or None."""
    body = client.get("%s/tools/job/%s" % (EXIM, job_id), missing_ok=True)
    if isinstance(body, dict) and isinstance(body.get("object"), dict):
        return body["object"]
    return body


def job_state(job):
    return (job or {}).get("jobStatus")


def artifact_failures(job):
    """Per-artifact failures hidden in ``completedTasks`` (a job may say SUCCESS and still carry them)."""
    failures = []
    for task in (job or {}).get("completedTasks") or []:
        artifact = task.get("artifact") or {}
        bad = [m for m in artifact.get("messages") or []
               if str(m.get("status", "")).upper() in FAILURE_WORDS]
        if str(task.get("taskStatus", "")).upper() in FAILURE_WORDS and not bad:
            # A failed task whose messages use another word (e.g. NOT_FOUND): report those messages.
            bad = [m for m in artifact.get("messages") or [] if m.get("message")] or [
                dict(status=task.get("taskStatus"), message="task %s" % task.get("taskStatus"))]
        for message in bad:
            failures.append(dict(
                id=artifact.get("id"), type=artifact.get("type"), title=artifact.get("title"),
                status=message.get("status"), message=message.get("message"),
            ))
    return failures


# ---------------------------------------------------------------------------
# Input helpers (no request is sent by any of them)
# ---------------------------------------------------------------------------

PACKAGE_TYPES = ("PARTIAL", "FULL")
VISIBILITIES = ("private", "public")
JOB_TYPES = ("NEW", "RESUME", "ROLLBACK")
ISO_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?"
    r"(Z|z|[+-]\d{2}:?\d{2})$")


def parse_timestamp(value, option):
    """An ISO 8601 timestamp with a time zone (``2026-05-20T20:05:10Z``) as epoch milliseconds."""
    if value is None:
        return None
    m = ISO_RE.match(str(value).strip())
    if not m:
        raise AepValidationError(option, "%r is not an ISO 8601 UTC timestamp; write it like "
                                         "2026-05-20T20:05:10Z" % (value,))
    year, month, day, hour, minute, second, frac, zone = m.groups()
    try:
        dt = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
                               int((frac or "0")[:6].ljust(6, "0")), tzinfo=datetime.timezone.utc)
    except ValueError as e:
        raise AepValidationError(option, "%r is not a valid date/time: %s" % (value, e))
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        dt -= sign * datetime.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return int(round(dt.timestamp() * 1000))


def format_timestamp(ms):
    """Epoch milliseconds as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC); None stays None."""
    if ms is None:
        return None
    try:
        dt = datetime.datetime.fromtimestamp(int(ms) / 1000.0, tz=datetime.timezone.utc)
    except (TypeError, ValueError, OverflowError, OSError):
        return str(ms)
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def same_second(a_ms, b_ms):
    if a_ms is None or b_ms is None:
        return a_ms is None and b_ms is None
    try:
        return int(a_ms) // 1000 == int(b_ms) // 1000
    except (TypeError, ValueError):
        return False


def normalize_artifacts(artifacts, option="artifacts"):
    """Validate ``[{id, type, title}]``: upper-case types from ARTIFACT_TYPES, no duplicates."""
    if artifacts is None:
        return None
    out, seen = [], set()
    for index, item in enumerate(artifacts):
        where = "%s[%d]" % (option, index)
        if not isinstance(item, dict):
            raise AepValidationError(where, "each artifact is a dict with id, type and optional title")
        art_id = str(item.get("id") or "").strip()
        if not art_id:
            raise AepValidationError(where + ".id", "an artifact needs its id")
        art_type = str(item.get("type") or "").strip().upper()
        if art_type not in ARTIFACT_TYPES:
            raise AepValidationError(where + ".type", "%r is not a package artifact type; valid types: %s"
                                     % (item.get("type"), ", ".join(ARTIFACT_TYPES)))
        if (art_id, art_type) in seen:
            continue
        seen.add((art_id, art_type))
        entry = dict(id=art_id, type=art_type)
        if item.get("title"):
            entry["title"] = item["title"]
        out.append(entry)
    return out


def visibility_of(package):
    """``private`` or ``public`` (answers may spell it either case, or leave it out)."""
    value = (package or {}).get("packageVisibility")
    return str(value).lower() if value else "private"


def artifact_refs(items):
    """``[{id, type}]`` sorted, for request bodies and comparisons."""
    return sorted(({"id": a.get("id"), "type": a.get("type")} for a in items or []),
                  key=lambda a: (str(a["type"]), str(a["id"])))


# ---------------------------------------------------------------------------
# API calls
# ---------------------------------------------------------------------------

def create_package(client, body):
    """``POST /packages`` (201, the docs say 200): the new package."""
    return client.post("%s/packages" % EXIM, json=body)


def update_package(client, body):
    """``PUT /packages`` with ``action`` ADD, DELETE or UPDATE: the updated package."""
    return client.put("%s/packages" % EXIM, json=body)


def make_public(client, package_id):
    """Make a package public: ``PUT /packages`` (action UPDATE, the docs' form), else ``PUT /packages/update``."""
    body = {"id": package_id, "action": "UPDATE", "packageVisibility": "PUBLIC"}
    return with_fallback(lambda: client.put("%s/packages" % EXIM, json=body),
                         lambda: client.put("%s/packages/update" % EXIM, json=body))


def publish_package(client, package_id, expiry_period=None):
    """``GET /packages/{id}/export``: starts the export job; the answer carries ``jobId``."""
    query = {"expiryPeriod": expiry_period} if expiry_period is not None else None
    return client.get("%s/packages/%s/export" % (EXIM, package_id), query=query)


def delete_package(client, package_id):
    """``DELETE /packages/{id}``: True when deleted, False when it was already gone (404)."""
    path = "%s/packages/%s" % (EXIM, package_id)
    response = client.raw("DELETE", path)
    if response.status == 404:
        return False
    if response.status >= 400:
        raise AepApiError("DELETE", path, response.status, body=response.body, text=response.text,
                          request_id=response.request_id).scrub(client.scrub)
    return True


def package_children(client, package_id, artifacts):
    """The dependency tree of ``artifacts`` (``POST /packages/{id}/children``, a read)."""
    refs = artifact_refs(artifacts)
    if not refs:
        return []
    return client.post("%s/packages/%s/children" % (EXIM, package_id), json=refs) or []


def list_packages(client, status=None, package_type=None, created_after=None, created_before=None, name=None):
    """Every package matching the filters (status: a list, ORed), all pages.

    ``created_after``/``created_before`` are epoch milliseconds or ISO strings.
    """
    props = []
    if name:
        props.append("name==%s" % name)
    if status:
        props.append("status==%s" % ",".join(status))
    if package_type:
        props.append("packageType==%s" % package_type)
    if created_after is not None:
        props.append("createdDate>=%s" % _iso_ms(created_after))
    if created_before is not None:
        props.append("createdDate<=%s" % _iso_ms(created_before))
    return client.paginate("%s/packages" % EXIM, query={"property": props} if props else None)


def package_matches(package, status=None, package_type=None, created_after=None, created_before=None):
    """The same filters applied locally (to a package read by id or name, or a loose server)."""
    if status and str(package.get("status", "")).upper() not in status:
        return False
    if package_type and package.get("packageType") != package_type:
        return False
    created = package.get("createdDate")
    if created_after is not None and (created is None or created < created_after):
        return False
    if created_before is not None and (created is None or created > created_before):
        return False
    return True


def find_jobs(client, request_type=None, job_status=None, job_type=None, package_id=None):
    """Export/import jobs (``GET /packages/jobs``) matching the filters, all pages."""
    props = []
    if request_type:
        props.append("requestType==%s" % request_type)
    if job_status:
        props.append("jobStatus==%s" % ",".join(job_status))
    if job_type:
        props.append("jobType==%s" % job_type)
    if package_id:
        props.append("packageId==%s" % package_id)
    jobs = client.paginate("%s/packages/jobs" % EXIM, query={"property": props} if props else None)
    # Check again locally: a server may ignore a filter it does not know.
    out = []
    for job in jobs:
        if request_type and job.get("requestType") and job["requestType"] != request_type:
            continue
        if job_status and job.get("jobStatus") and str(job["jobStatus"]).upper() not in job_status:
            continue
        if job_type and job.get("jobType") and job["jobType"] != job_type:
            continue
        if package_id and job.get("packageId") and job["packageId"] != package_id:
            continue
        out.append(job)
    return out


def job_summary(job):
    """Counts of a job's tasks and artifact messages, with the per-artifact failures."""
    tasks = (job or {}).get("completedTasks") or []
    statuses = {}
    for task in tasks:
        for message in (task.get("artifact") or {}).get("messages") or []:
            key = str(message.get("status") or "UNKNOWN").upper()
            statuses[key] = statuses.get(key, 0) + 1
    failures = artifact_failures(job)
    return dict(
        tasks=len(tasks),
        failed_tasks=len([t for t in tasks if str(t.get("taskStatus", "")).upper() in FAILURE_WORDS]),
        message_statuses=statuses,
        failures=failures,
        has_failures=bool(failures) or str((job or {}).get("jobStatus", "")).upper() == "FAILED",
    )


def describe_job_failure(job):
    """A one-line reason for a failed export/import job."""
    job = job or {}
    parts = []
    if job.get("errorMessage"):
        parts.append(str(job["errorMessage"]))
    for f in artifact_failures(job):
        title = " (%s)" % f["title"] if f.get("title") and f.get("title") != f.get("id") else ""
        parts.append("%s %s%s: %s" % (f.get("type"), f.get("id"), title, f.get("message") or f.get("status")))
    return "; ".join(parts) or "no reason given by the API"


def _iso_ms(value):
    if isinstance(value, (int, float)):
        ms = int(value)
        dt = datetime.datetime.fromtimestamp(ms / 1000.0, tz=datetime.timezone.utc)
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)
    return value


# ---------------------------------------------------------------------------
# aep_package: desired state, comparison and convergence
# ---------------------------------------------------------------------------

EDITABLE = ("DRAFT",)
USER_FIELDS = ("name", "description", "package_type", "source_sandbox", "artifacts", "expiry", "visibility")


def _sleep(seconds):
    time.sleep(seconds)


class PackageRequest:
    """What an ``aep_package`` task asks for, validated before any request."""

    def __init__(self, params, org_id=None):
        self.state = params.get("state") or "present"
        self.id = validate_id(params.get("id"), "id")
        self.name = params.get("name")
        if self.name is not None and not self.name.strip():
            raise AepValidationError("name", "must not be empty")
        if not (self.id or self.name):
            raise AepValidationError("name", "give the package's name (unique within the org) or its id")
        self.description = params.get("description")
        ptype = params.get("package_type")
        self.package_type = str(ptype).upper() if ptype else None
        if self.package_type is not None and self.package_type not in PACKAGE_TYPES:
            raise AepValidationError("package_type", "%r is not one of %s" % (ptype, ", ".join(PACKAGE_TYPES)))
        self.source_sandbox = params.get("source_sandbox")
        if self.source_sandbox is not None:
            validate_sandbox(self.source_sandbox, "source_sandbox")
        self.sandbox = params.get("sandbox")
        self.artifacts = normalize_artifacts(params.get("artifacts"))
        if self.package_type == "FULL" and self.artifacts:
            raise AepValidationError("artifacts", "a FULL package carries no artifact list (it exports the whole "
                                                  "sandbox); remove artifacts or use package_type: PARTIAL")
        self.purge = params.get("purge_artifacts", True) is not False
        self.expiry = params.get("expiry")
        self.expiry_ms = parse_timestamp(self.expiry, "expiry")
        vis = params.get("visibility")
        self.visibility = str(vis).lower() if vis else None
        if self.visibility is not None and self.visibility not in VISIBILITIES:
            raise AepValidationError("visibility", "%r is not one of %s" % (vis, ", ".join(VISIBILITIES)))
        self.expiry_period = params.get("expiry_period")
        if self.expiry_period is not None and self.expiry_period < 0:
            raise AepValidationError("expiry_period", "days after publication, must be 0 or more, got %r"
                                     % (self.expiry_period,))
        self.wait = params.get("wait", True) is not False
        self.wait_timeout = params.get("wait_timeout")
        if self.wait_timeout is None:
            self.wait_timeout = 900
        if self.wait_timeout < 0:
            raise AepValidationError("wait_timeout", "seconds, must be 0 or more, got %r" % (self.wait_timeout,))
        if self.state == "published" and self.visibility == "public" and not self.wait:
            raise AepValidationError("wait", "visibility: public can only be applied once the package is PUBLISHED; "
                                             "set wait: true (or make it public in a later task)")
        self.org_id = org_id

    @property
    def label(self):
        return "%r" % self.name if self.name else self.id

    def user_keys(self):
        keys = ["name"]
        keys += [k for k in USER_FIELDS[1:] if getattr(self, k) is not None]
        if self.state == "published":
            keys.append("status")
        return keys


def package_view(package):
    """A package in the module's own terms (for ``--diff``)."""
    if package is None:
        return None
    return dict(
        id=package.get("id"),
        name=package.get("name"),
        description=package.get("description"),
        package_type=package.get("packageType"),
        source_sandbox=(package.get("sourceSandbox") or {}).get("name"),
        artifacts=artifact_refs(package.get("artifactsList")),
        expiry=format_timestamp(package.get("expiry")),
        visibility=visibility_of(package),
        status=package.get("status"),
    )


class Plan:
    """What must change on an existing package."""

    def __init__(self):
        self.meta = []      # user-facing keys changed through UPDATE
        self.add = []
        self.remove = []
        self.make_public = False
        self.problems = []  # changes the API cannot make

    @property
    def content(self):
        return bool(self.meta or self.add or self.remove)

    def changed_fields(self):
        fields = list(self.meta)
        if self.add or self.remove:
            fields.append("artifacts")
        return fields


def plan_changes(req, current):
    plan = Plan()
    status = current.get("status")
    ptype = current.get("packageType")
    if req.package_type is not None and ptype != req.package_type:
        plan.problems.append("its package_type is %s and the task asks for %s; the type of a package cannot be "
                             "changed" % (ptype, req.package_type))
    if req.name is not None and current.get("name") != req.name:
        plan.meta.append("name")
    if req.description is not None and (current.get("description") or "") != req.description:
        plan.meta.append("description")
    if req.source_sandbox is not None and (current.get("sourceSandbox") or {}).get("name") != req.source_sandbox:
        plan.meta.append("source_sandbox")
    # Publishing sets the expiry from expiry_period: ``expiry`` is only compared before that.
    if req.expiry_ms is not None and status in ("DRAFT", "PUBLISH_FAILED") \
            and not same_second(current.get("expiry"), req.expiry_ms):
        plan.meta.append("expiry")
    if req.artifacts is not None:
        if ptype == "FULL":
            if req.artifacts:
                plan.problems.append("it is a FULL package, which carries no artifact list")
        else:
            have = artifact_keys(current)
            want = set((a["id"], a["type"]) for a in req.artifacts)
            plan.add = [a for a in req.artifacts if (a["id"], a["type"]) not in have]
            if req.purge:
                plan.remove = [dict(id=a.get("id"), type=a.get("type")) for a in current.get("artifactsList") or []
                               if (a.get("id"), a.get("type")) not in want]
    current_vis = visibility_of(current)
    if req.visibility == "public" and current_vis != "public":
        plan.make_public = True
    elif req.visibility == "private" and current_vis == "public":
        plan.problems.append("it is public and a package cannot be made private again (the API only turns "
                             "private packages public)")
    return plan


def _refuse(req, current, what):
    raise AepStateError("Package %s (id %s) %s. Delete it first (state: absent) or use another name."
                        % (req.label, current.get("id"), what),
                        package=current)


def _immutable(req, current, plan):
    status = current.get("status")
    fields = ", ".join(plan.changed_fields())
    desired = []
    for field in plan.changed_fields():
        if field == "artifacts":
            if plan.add:
                desired.append("add %s" % ", ".join("%s %s" % (a["type"], a["id"]) for a in plan.add))
            if plan.remove:
                desired.append("remove %s" % ", ".join("%s %s" % (a["type"], a["id"]) for a in plan.remove))
    if status == "PUBLISHED":
        why = "is PUBLISHED, and a published package is immutable"
    elif status == "PUBLISH_IN_PROGRESS":
        why = "is being published (PUBLISH_IN_PROGRESS) and cannot be changed"
    elif status == "PUBLISH_FAILED":
        why = "failed to publish (PUBLISH_FAILED) and can no longer be changed"
    else:
        why = "is %s and cannot be changed" % status
    raise AepStateError(
        "Package %s (id %s) %s, but its content differs from what the task asks (%s%s). To get a package with "
        "this content, give it a new name, or delete this one first (state: absent) and run the task again."
        % (req.label, current.get("id"), why, fields, ": " + "; ".join(desired) if desired else ""),
        package=current, changed_fields=plan.changed_fields())


def _source_sandbox_body(req, current=None):
    if req.source_sandbox is not None or current is None:
        org = ((current or {}).get("sourceSandbox") or {}).get("imsOrgId") or req.org_id
        return {"name": req.source_sandbox or req.sandbox, "imsOrgId": org}
    src = dict(current.get("sourceSandbox") or {})
    src.setdefault("imsOrgId", req.org_id)
    return {"name": src.get("name"), "imsOrgId": src.get("imsOrgId")}


def create_body(req):
    body = {
        "name": req.name,
        "packageType": req.package_type or "PARTIAL",
        "sourceSandbox": _source_sandbox_body(req),
    }
    if req.description is not None:
        body["description"] = req.description
    if req.expiry_ms is not None:
        body["expiry"] = format_timestamp(req.expiry_ms)
    if body["packageType"] == "PARTIAL":
        body["artifacts"] = [dict(a) for a in req.artifacts or []]
    return body


def create_with_recovery(client, body):
    """Create; when the POST may have reached the server (timeout, dropped connection), re-read by
    name first and only create again when the package is really absent."""
    try:
        return create_package(client, body)
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
        found = find_package_by_name(client, body["name"])
        if found is not None:
            client.warnings.append("POST /packages got no answer (%s), but package %r exists: using it"
                                   % (e.kind, body["name"]))
            return found
        client.warnings.append("POST /packages got no answer (%s) and package %r does not exist: creating it again"
                               % (e.kind, body["name"]))
        return create_package(client, body)


def _predict_create(req, body):
    return dict(
        id=None, name=body["name"], description=body.get("description", ""), packageType=body["packageType"],
        sourceSandbox=body["sourceSandbox"], expiry=req.expiry_ms, status="DRAFT", packageVisibility="PRIVATE",
        artifactsList=[dict(a, found=False, count=0) for a in body.get("artifacts") or []],
    )


def _predict_update(req, current, plan):
    pkg = copy.deepcopy(current)
    if "name" in plan.meta:
        pkg["name"] = req.name
    if "description" in plan.meta:
        pkg["description"] = req.description
    if "source_sandbox" in plan.meta:
        pkg["sourceSandbox"] = _source_sandbox_body(req, current)
    if "expiry" in plan.meta:
        pkg["expiry"] = req.expiry_ms
    drop = set((a["id"], a["type"]) for a in plan.remove)
    pkg["artifactsList"] = [a for a in pkg.get("artifactsList") or [] if (a.get("id"), a.get("type")) not in drop]
    pkg["artifactsList"] += [dict(a, found=False, count=0) for a in plan.add]
    return pkg


def apply_update(client, req, current, plan):
    """DELETE, ADD, then UPDATE; returns the package as last answered."""
    pkg = current
    pid = current["id"]
    if plan.remove:
        pkg = update_package(client, {"id": pid, "action": "DELETE", "artifacts": artifact_refs(plan.remove)}) or pkg
    if plan.add:
        body = {"id": pid, "action": "ADD", "artifacts": [dict(a) for a in plan.add]}
        if req.expiry_ms is not None:
            body["expiry"] = format_timestamp(req.expiry_ms)
        pkg = update_package(client, body) or pkg
    meta = [k for k in plan.meta if k != "expiry" or not plan.add]
    # Every PUT may reset an unspecified expiry (Adobe: 90 days from the call): re-assert the user's.
    if req.expiry_ms is not None and not same_second(pkg.get("expiry"), req.expiry_ms) and "expiry" not in meta:
        meta.append("expiry")
    if meta:
        body = {"id": pid, "action": "UPDATE",
                "name": req.name if req.name is not None else pkg.get("name", current.get("name")),
                "sourceSandbox": _source_sandbox_body(req, pkg if pkg.get("sourceSandbox") else current)}
        if req.description is not None:
            body["description"] = req.description
        elif pkg.get("description") is not None:
            body["description"] = pkg["description"]
        if req.expiry_ms is not None:
            body["expiry"] = format_timestamp(req.expiry_ms)
        pkg = update_package(client, body) or pkg
    return pkg


def _wait_published(client, req, package_id, job_id):
    def fetch():
        pkg = get_package(client, package_id)
        if pkg is None:
            raise AepStateError("Package %s (id %s) disappeared while being published" % (req.label, package_id))
        return pkg
    return wait_for(fetch, lambda p: p.get("status"), ("PUBLISHED", "PUBLISH_FAILED"), req.wait_timeout,
                    "package %s (id %s) to be published" % (req.label, package_id), sleeper=_sleep)


def _export_job(client, package_id, job_id):
    if job_id:
        return get_job(client, job_id)
    jobs = find_jobs(client, request_type="EXPORT", package_id=package_id)
    if not jobs:
        return None
    newest = max(jobs, key=lambda j: j.get("created") or j.get("createdTimestamp") or 0)
    return get_job(client, newest.get("id")) or newest


def ensure_package(client, req, current, check_mode=False):
    """``state: present`` / ``published``: returns the exit_json dict."""
    result = dict(changed=False, job=None)
    before = current
    pkg = current
    if current is None:
        if req.id:
            raise AepStateError("No package with id %s exists in org %s; to create a package give its name "
                                "(a new package gets a new id)" % (req.id, req.org_id))
        if req.visibility == "public" and req.state != "published":
            raise AepStateError("Package %r does not exist yet: only a PUBLISHED package can be made public; "
                                "use state: published with visibility: public" % req.name)
        body = create_body(req)
        pkg = _predict_create(req, body) if check_mode else create_with_recovery(client, body)
        result["changed"] = True
        plan = Plan()
        plan.make_public = req.visibility == "public"
    else:
        plan = plan_changes(req, current)
        if plan.problems:
            _refuse(req, current, "cannot be converged: " + "; ".join(plan.problems))
        if plan.content:
            if current.get("status") not in EDITABLE:
                _immutable(req, current, plan)
            if current.get("packageType") != "PARTIAL":
                _refuse(req, current, "is a %s package: only PARTIAL packages can be modified (%s differ)"
                        % (current.get("packageType"), ", ".join(plan.changed_fields())))
        if plan.make_public and req.state != "published" and current.get("status") != "PUBLISHED":
            raise AepStateError("Package %s (id %s) is %s: only a PUBLISHED package can be made public; use "
                                "state: published with visibility: public"
                                % (req.label, current.get("id"), current.get("status")), package=current)
        if plan.content:
            pkg = _predict_update(req, current, plan) if check_mode else apply_update(client, req, current, plan)
            result["changed"] = True

    if req.state == "published":
        status = pkg.get("status")
        job_id = None
        if status in ("DRAFT", "PUBLISH_FAILED"):
            if req.expiry_ms is not None and req.expiry_period is None:
                client.warnings.append("publishing sets the package's expiry to 90 days after publication, "
                                       "replacing expiry; set expiry_period (days) to choose it")
            result["changed"] = True
            if check_mode:
                pkg = dict(pkg, status="PUBLISHED" if req.wait else "PUBLISH_IN_PROGRESS")
            else:
                answer = publish_package(client, pkg["id"], req.expiry_period) or {}
                job_id = answer.get("jobId")
                result["job"] = dict(answer, id=job_id) if job_id else answer
                pkg = dict(pkg, status="PUBLISH_IN_PROGRESS")
        if not check_mode and req.wait and pkg.get("status") != "PUBLISHED":
            pkg = _wait_published(client, req, pkg["id"], job_id)
            if job_id or pkg.get("status") == "PUBLISH_FAILED":
                result["job"] = _export_job(client, pkg["id"], job_id) or result["job"]
            if pkg.get("status") == "PUBLISH_FAILED":
                raise AepStateError(
                    "Publishing package %s (id %s) failed (PUBLISH_FAILED): %s"
                    % (req.label, pkg.get("id"), describe_job_failure(result["job"])),
                    package=pkg, job=result["job"])

    if plan.make_public:
        if not check_mode and pkg.get("status") != "PUBLISHED":
            raise AepStateError("Package %s (id %s) is %s: only a PUBLISHED package can be made public"
                                % (req.label, pkg.get("id"), pkg.get("status")), package=pkg)
        result["changed"] = True
        if check_mode:
            pkg = dict(pkg, packageVisibility="PUBLIC")
        else:
            answer = make_public(client, pkg["id"])
            if isinstance(answer, dict) and answer.get("id") == pkg["id"] and answer.get("status"):
                pkg = answer
            else:
                pkg = get_package(client, pkg["id"]) or dict(pkg, packageVisibility="PUBLIC")

    keys = req.user_keys()
    result["package"] = pkg
    result["diff"] = make_diff(package_view(before), package_view(pkg), keys)
    return result


def remove_package(client, req, current, check_mode=False):
    """``state: absent``."""
    if current is None:
        return dict(changed=False, package=None, job=None, diff=dict(before={}, after={}))
    changed = True
    if not check_mode:
        changed = delete_package(client, current["id"])
    return dict(changed=changed, package=None, job=None, diff=dict(before=package_view(current), after={}))


def lookup_package(client, req):
    """One read: ``GET /packages/{id}`` or the name-filtered list."""
    if req.id:
        return get_package(client, req.id)
    return find_package_by_name(client, req.name)
