# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Importing a published package into a target sandbox: reads, decisions and the submission.

The pure functions here (``summarize_preflight``, ``resolve_conflicts``,
``replacement_map``, ``job_messages``...) hold the decision logic and are unit
tested on their own; the functions taking a ``client`` do the API calls.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.aep.platform.plugins.module_utils.client import with_fallback
from ansible_collections.aep.platform.plugins.module_utils.errors import (
    AepConnectionError, AepStateError, AepValidationError,
)
from ansible_collections.aep.platform.plugins.module_utils.packages import (
    ARTIFACT_TYPES, EXIM, artifact_failures, get_job,
)

POLICIES = ("fail", "use_alternatives", "first_suggestion", "create_new")
# Types an alternative may name: the package artifact types and those seen in answers.
ALTERNATIVE_TYPES = ARTIFACT_TYPES + ("MAPPING_SET", "PROFILE_MERGE")
RUNNING = ("PENDING", "IN_PROGRESS")
JOBS_PATH = EXIM + "/packages/jobs"
JOB_PAGE = 50


# -- input ------------------------------------------------------------------

def validate_alternatives(alternatives):
    """``{source id: {id, type}}`` with both keys set and a known type; returns a clean copy."""
    clean = {}
    for src_id, alt in (alternatives or {}).items():
        if not src_id:
            raise AepValidationError("alternatives", "keys must be the ids of the package's artifacts, got an empty key")
        if not isinstance(alt, dict):
            raise AepValidationError("alternatives", "entry %r must be a dict {id, type}, got %r" % (src_id, alt))
        unknown = sorted(set(alt) - set(("id", "type", "title")))
        if unknown:
            raise AepValidationError("alternatives", "entry %r has unknown keys %s; accepted: id, type (title is ignored)"
                                     % (src_id, ", ".join(unknown)))
        if not alt.get("id") or not isinstance(alt.get("id"), str):
            raise AepValidationError("alternatives", "entry %r needs an id: the existing object in the target sandbox"
                                     % (src_id,))
        if alt.get("type") not in ALTERNATIVE_TYPES:
            raise AepValidationError("alternatives", "entry %r has type %r; accepted types: %s"
                                     % (src_id, alt.get("type"), ", ".join(ALTERNATIVE_TYPES)))
        clean[str(src_id)] = dict(id=alt["id"], type=alt["type"])
    return clean


# -- calls with the docs' form first, the spec's form on 404/405 (client.with_fallback) --

def get_preflight(client, package_id, target_sandbox):
    query = dict(targetSandbox=target_sandbox)
    return with_fallback(
        lambda: client.get("%s/packages/preflight/%s" % (EXIM, package_id), query=query),
        lambda: client.get("%s/packages/preflight/%s/export" % (EXIM, package_id), query=query),
    )


def get_conflicts(client, package_id, target_sandbox):
    body = client.get("%s/packages/%s/import" % (EXIM, package_id), query=dict(targetSandbox=target_sandbox))
    if isinstance(body, dict):  # tolerate an envelope
        body = body.get("data") or body.get("conflicts") or []
    return [c for c in body or [] if isinstance(c, dict)]


def submit_import(client, body):
    """Submit the import (POST, the docs' form; PUT, the spec's, on 404/405); return the answer."""
    path = "%s/packages/import" % EXIM
    return with_fallback(lambda: client.post(path, json=body), lambda: client.put(path, json=body))


def import_body(package, target_sandbox, org_id, name=None, description=None, alternatives=None):
    return dict(
        id=package["id"],
        name=name if name is not None else package.get("name"),
        description=description if description is not None else (package.get("description") or ""),
        destinationSandbox=dict(name=target_sandbox, imsOrgId=org_id),
        alternatives=dict(alternatives or {}),
    )


# -- preflight ------------------------------------------------------------------

def _resources(block):
    out = {}
    for res in (block or {}).get("resources") or []:
        perms = res.get("resourcePermissions") or []
        if perms:
            out.setdefault(res.get("palmResourceType"), []).extend(perms)
    return out


def summarize_preflight(body, mapped_ids=()):
    """The permission check as a result: per artifact what is missing, and who blocks the import.

    An artifact mapped to an existing object (``mapped_ids``, the alternatives
    sent) is not created, so its missing permissions do not block.
    """
    mapped = set(mapped_ids)
    artifacts, blocking = [], []
    for item in (body or {}).get("permissionResponse") or []:
        missing = _resources(item.get("missingPermissions"))
        allowed = item.get("creationAllowed")
        if allowed is None:
            allowed = not missing
        entry = dict(
            id=item.get("artifactID"),
            type=item.get("artifactType"),
            creation_allowed=bool(allowed),
            missing_permissions=missing,
            required_permissions=_resources(item.get("requiredPermissions")),
            mapped=item.get("artifactID") in mapped,
        )
        artifacts.append(entry)
        if not entry["creation_allowed"] and not entry["mapped"]:
            blocking.append(entry)
    return dict(
        checked=True,
        target_sandbox=(body or {}).get("targetSandboxName"),
        creation_allowed=not blocking,
        artifacts=artifacts,
        denied=[e["id"] for e in blocking],
    )


def describe_denied(summary):
    parts = []
    for entry in summary["artifacts"]:
        if entry["id"] not in summary["denied"]:
            continue
        missing = "; ".join("%s: %s" % (res, ", ".join(perms)) for res, perms in sorted(entry["missing_permissions"].items()))
        parts.append("%s %s (missing %s)" % (entry["type"], entry["id"], missing or "unspecified permissions"))
    return parts


# -- conflicts ------------------------------------------------------------------

def _artifact(conflict):
    return conflict.get("artifact") or {}


def _suggestions(conflict):
    return [s for s in conflict.get("suggestionList") or [] if isinstance(s, dict) and s.get("id")]


def _title_in(conflict, target_id):
    for s in _suggestions(conflict):
        if s.get("id") == target_id:
            return s.get("title")
    return None


def resolve_conflicts(conflicts, policy, alternatives=None):
    """Decide how each conflict is resolved.

    Returns ``(resolutions, to_send, unresolved)``: one resolution per
    conflict (``source`` {id, type, title} → ``target`` {id, type, title} or
    None, and ``how``: alternatives / first_suggestion / create_new /
    unresolved), the alternatives map to submit (the user's entries always,
    plus the chosen suggestions), and the unresolved resolutions.
    """
    if policy not in POLICIES:
        raise AepValidationError("conflict_resolution", "%r is not one of %s" % (policy, ", ".join(POLICIES)))
    user = dict(alternatives or {})
    to_send = dict(user)
    resolutions, unresolved = [], []
    for conflict in conflicts or []:
        art = _artifact(conflict)
        src = dict(id=art.get("id"), type=art.get("type"), title=art.get("title"))
        suggestions = _suggestions(conflict)
        res = dict(source=src, target=None, how=None,
                   suggestions=[dict(id=s.get("id"), type=s.get("type"), title=s.get("title")) for s in suggestions])
        if src["id"] in user:
            alt = user[src["id"]]
            if src["type"] and alt["type"] != src["type"]:
                raise AepValidationError(
                    "alternatives", "entry %r maps a %s to a %s; an alternative must have the type of the artifact it "
                                    "replaces" % (src["id"], src["type"], alt["type"]))
            res.update(target=dict(id=alt["id"], type=alt["type"], title=_title_in(conflict, alt["id"])),
                       how="alternatives")
        elif policy == "first_suggestion" and suggestions:
            top = suggestions[0]
            res.update(target=dict(id=top["id"], type=top.get("type") or src["type"], title=top.get("title")),
                       how="first_suggestion")
            to_send[src["id"]] = dict(id=top["id"], type=top.get("type") or src["type"])
        elif policy == "create_new":
            res["how"] = "create_new"
        else:
            res["how"] = "unresolved"
            unresolved.append(res)
        resolutions.append(res)
    return resolutions, to_send, unresolved


def suggested_alternatives(unresolved):
    """An ``alternatives`` value a user could write: each unresolved conflict mapped to its top suggestion."""
    out = {}
    for res in unresolved:
        if res["suggestions"]:
            top = res["suggestions"][0]
            out[res["source"]["id"]] = dict(id=top["id"], type=top.get("type") or res["source"]["type"])
    return out


def _label(obj):
    title = obj.get("title")
    return "%s %s%s" % (obj.get("type"), ("%r " % title) if title else "", obj.get("id"))


def describe_unresolved(unresolved):
    parts = []
    for res in unresolved:
        if res["suggestions"]:
            sugg = ", ".join("%s%s" % (("%r " % s["title"]) if s.get("title") else "", s["id"])
                             for s in res["suggestions"])
            parts.append("%s -> suggestions (best first): %s" % (_label(res["source"]), sugg))
        else:
            parts.append("%s -> no suggestion in the target sandbox" % _label(res["source"]))
    return parts


# -- jobs -------------------------------------------------------------------

def iter_jobs(client, properties, page=JOB_PAGE):
    """Jobs matching ``property`` filters, page by page, lazily (callers may stop early)."""
    for job in client.iter_items(JOBS_PATH, query={"property": list(properties)}, limit=page):
        if isinstance(job, dict):
            yield job


def job_matches(job, package_id, target_sandbox, package=None, job_names=()):
    """Is ``job`` (a list item) an import of this package into this target sandbox?

    Jobs carrying ``packageId`` match on it; jobs without it match on the job
    name (the import name or the package's) and the package's source sandbox,
    which needs ``package``; without it they do not match.
    """
    if str(job.get("targetSandbox") or "").lower() != target_sandbox.lower():
        return False
    if job.get("packageId"):
        return job["packageId"] == package_id
    if package is None:
        return False
    source = ((package.get("sourceSandbox") or {}).get("name") or "").lower()
    job_source = str(job.get("sourceSandBox") or job.get("sourceSandbox") or "").lower()
    names = set(n for n in job_names if n)
    names.add(package.get("name"))
    return job.get("name") in names and bool(source) and job_source == source


def find_successful_import(client, package_id, target_sandbox, package_loader, job_names=(), strict=True):
    """The newest SUCCESS import job (detail) of this package into this target sandbox, or None.

    ``package_loader()`` returns the package (read lazily, only for jobs
    without ``packageId``). With ``strict`` a SUCCESS job hiding artifact
    errors does not count: the import is done again.
    """
    props = ["requestType==IMPORT", "jobStatus==SUCCESS"]
    for item in iter_jobs(client, props):
        needs_package = not item.get("packageId")
        package = package_loader() if needs_package else None
        if not job_matches(item, package_id, target_sandbox, package, job_names):
            continue
        detail = get_job(client, item["id"]) or item
        if str(detail.get("jobStatus") or item.get("jobStatus")).upper() != "SUCCESS":
            continue
        failures = artifact_failures(detail)
        if failures and strict:
            client.warnings.append(
                "import job %s of this package into %s ended SUCCESS but with %d artifact error(s); "
                "it does not count as a successful import (strict)" % (item["id"], target_sandbox, len(failures)))
            continue
        return detail
    return None


def import_jobs(client, package_id, target_sandbox, package=None, job_names=()):
    """Every import job (any status, list items) of this package into this target sandbox."""
    return [j for j in iter_jobs(client, ["requestType==IMPORT"])
            if job_matches(j, package_id, target_sandbox, package, job_names)]


def import_job_ids(client, package_id, target_sandbox, package=None, job_names=()):
    return [j.get("id") for j in import_jobs(client, package_id, target_sandbox, package, job_names)]


def running(jobs):
    """The jobs not ended yet (PENDING, IN_PROGRESS)."""
    return [j for j in jobs if str(j.get("jobStatus") or "").upper() in RUNNING]


def submit_once(client, body, package, target_sandbox, job_names, known_ids):
    """Submit the import; a create that may have reached the server is not re-sent blindly.

    On a timeout or dropped connection, the import jobs are read again: a new
    job of this package into this target sandbox (one not in ``known_ids``) is
    the one the lost request created; only when there is none is the import
    submitted once more. Returns ``(job_id, answer, warnings)``.
    """
    warnings = []
    try:
        answer = submit_import(client, body)
    except AepConnectionError as e:
        if not e.maybe_sent:
            raise
        new = [i for i in import_job_ids(client, package["id"], target_sandbox, package, job_names)
               if i not in set(known_ids)]
        if new:
            warnings.append("the import request got no answer (%s) but created job %s; following that job"
                            % (e.msg, new[0]))
            return new[0], None, warnings
        warnings.append("the import request got no answer (%s) and no job appeared; submitted it again" % e.msg)
        answer = submit_import(client, body)
    job_id = (answer or {}).get("jobId") or (answer or {}).get("id")
    if not job_id:
        raise AepStateError("POST %s/packages/import answered without a jobId: %r" % (EXIM, answer))
    return job_id, answer, warnings


# -- results ------------------------------------------------------------------

def replacement_map(job):
    """Source id → id in the target sandbox, from ``importReplacementMap`` and the tasks' ``newId``."""
    out = {}
    for task in (job or {}).get("completedTasks") or []:
        art = task.get("artifact") or {}
        if art.get("id") and art.get("newId"):
            out[art["id"]] = art["newId"]
    rmap = (job or {}).get("importReplacementMap")
    if isinstance(rmap, dict):
        out.update((k, v) for k, v in rmap.items() if v)
    return out


def job_messages(job):
    """The job's own error message(s) and every artifact failure, as text."""
    msgs = []
    for key in ("errorMessage", "message", "failureReason"):
        value = (job or {}).get(key)
        if value and value not in msgs:
            msgs.append(str(value))
    for f in artifact_failures(job):
        msgs.append("%s %s%s: %s %s" % (f.get("type"), ("%r " % f["title"]) if f.get("title") else "",
                                        f.get("id"), f.get("status"), f.get("message")))
    return msgs


def package_summary(package):
    if not package:
        return None
    keys = ("id", "name", "description", "status", "packageType", "sourceSandbox", "artifactsList", "imsOrgId")
    return dict((k, package.get(k)) for k in keys if k in package)
