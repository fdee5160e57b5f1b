# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aep.platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn a sandbox promotion into a report (rows, summary, Markdown).

Pure Python, no API call: the ``aep.platform.sandbox_promotion`` role feeds them
the result of ``aep.platform.aep_package_import`` (its ``job``, ``conflicts``,
``permissions``), the package, and the conflict resolutions it used.

The documentation of each filter lives beside this file in
``promotion_report.yml`` and ``promotion_report_markdown.yml``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text

# Outcomes of a row, in the order the summary lists them.
OUTCOMES = (
    "created", "reused", "unchanged", "failed",
    "would create", "would reuse", "conflict", "unknown",
)
FAILURE_WORDS = ("ERROR", "FAILED", "FAILURE")
COLUMNS = (
    ("source_id", "Source id"), ("type", "Type"), ("title", "Title"), ("outcome", "Outcome"),
    ("target_id", "Target id"), ("detail", "Detail"),
)


def _mapping(value, what):
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AnsibleFilterError("promotion_report: %s must be a dict, got %s" % (what, type(value).__name__))
    return value


def _resolutions(value):
    """``{source id: {id, type, title}}`` from a dict of ids or objects, or a list of objects with ``source_id``."""
    out = {}
    if not value:
        return out
    if isinstance(value, list):
        for item in value:
            if not isinstance(item, dict):
                raise AnsibleFilterError("promotion_report: resolutions must be a dict or a list of dicts")
            source = item.get("source") if isinstance(item.get("source"), dict) else {}
            src = item.get("source_id") or item.get("artifact_id") or item.get("srcId") or source.get("id")
            target = item.get("target") if isinstance(item.get("target"), dict) else dict(
                id=item.get("target_id") or (None if source else item.get("id")), type=item.get("type"),
                title=item.get("title"))
            if src and target.get("id"):
                target = dict(target)
                if item.get("how"):
                    target["how"] = item["how"]
                out[to_text(src)] = target
        return out
    if not isinstance(value, dict):
        raise AnsibleFilterError("promotion_report: resolutions must be a dict or a list of dicts")
    for src, target in value.items():
        if isinstance(target, str):
            target = dict(id=target)
        if isinstance(target, dict) and target.get("id"):
            out[to_text(src)] = dict(target)
    return out


def _conflicts(value):
    """``{source id: {artifact, suggestionList}}`` from the conflicts.

    Accepts the API's answer (``{artifact, suggestionList}`` items) and the
    import module's resolutions (``{source, target, how, suggestions}`` items).
    """
    out = {}
    for item in value or []:
        if not isinstance(item, dict):
            continue
        if "artifact" not in item and isinstance(item.get("source"), dict):
            item = dict(artifact=item["source"], suggestionList=item.get("suggestions") or item.get("suggestionList"))
        artifact = item.get("artifact") or {}
        if artifact.get("id"):
            out[to_text(artifact["id"])] = item
    return out


def _missing_permissions(value):
    """``{artifact id: "Resource(perm,perm); ..."}`` from a preflight answer.

    Accepts the API's answer (``permissionResponse``) and the import module's
    summary (``artifacts`` items with a ``missing_permissions`` dict).
    """
    if isinstance(value, dict):
        value = value.get("permissionResponse") or value.get("artifacts") or []
    out = {}
    for item in value or []:
        if not isinstance(item, dict):
            continue
        parts = []
        if isinstance(item.get("missing_permissions"), dict):
            for res, perms in sorted(item["missing_permissions"].items()):
                if perms:
                    parts.append("%s(%s)" % (res, ",".join(to_text(p) for p in perms)))
            allowed = item.get("creation_allowed")
        else:
            for res in ((item.get("missingPermissions") or {}).get("resources")) or []:
                perms = res.get("resourcePermissions") or []
                parts.append("%s(%s)" % (res.get("palmResourceType"), ",".join(to_text(p) for p in perms)))
            allowed = item.get("creationAllowed")
        if item.get("mapped"):
            continue
        if parts or allowed is False:
            out[to_text(item.get("artifactID") or item.get("id"))] = "; ".join(parts) or "creation not allowed"
    return out


def _checked_artifacts(value):
    """The artifacts (``{id, type}``) a preflight answer or summary checked: the package's whole closure."""
    if isinstance(value, dict):
        value = value.get("permissionResponse") or value.get("artifacts") or []
    out = []
    for item in value or []:
        if isinstance(item, dict) and (item.get("artifactID") or item.get("id")):
            out.append(dict(id=item.get("artifactID") or item.get("id"), type=item.get("artifactType") or item.get("type")))
    return out


def _last_status(artifact, task):
    messages = artifact.get("messages") or []
    status, message = None, None
    if messages:
        last = messages[-1] or {}
        status, message = last.get("status"), last.get("message")
        for m in messages:
            if to_text(m.get("status", "")).upper() in FAILURE_WORDS:
                status, message = m.get("status"), m.get("message")
                break
    task_status = to_text(task.get("taskStatus") or "").upper()
    if task_status in FAILURE_WORDS and to_text(status or "").upper() not in FAILURE_WORDS:
        status, message = task_status, message or "task %s" % task_status
    return to_text(status or "").upper(), message


def _suggestion_title(conflict, target_id):
    for s in (conflict or {}).get("suggestionList") or []:
        if s.get("id") == target_id:
            return s.get("title")
    return None


def _describe_target(target_id, title):
    if title:
        return "%s (%s)" % (title, target_id)
    return to_text(target_id)


def _job_rows(job, changed, resolutions, conflicts):
    rows = []
    replacement = job.get("importReplacementMap") or {}
    job_id = job.get("id")
    for task in job.get("completedTasks") or []:
        artifact = task.get("artifact") or {}
        src = to_text(artifact.get("id"))
        status, message = _last_status(artifact, task)
        target_id = artifact.get("newId") or replacement.get(src)
        row = dict(source_id=src, type=artifact.get("type"), title=artifact.get("title"),
                   target_id=target_id, status=status, job_id=job_id)
        if status in FAILURE_WORDS:
            row.update(outcome="failed", target_id=None, detail=message or "import failed")
        elif status == "FOUND" or src in resolutions:
            resolution = resolutions.get(src) or {}
            title = resolution.get("title") or _suggestion_title(conflicts.get(src), target_id)
            row.update(outcome="reused", detail="conflict mapped to the existing %s%s" % (
                "%r" % title if title else "artifact", " (%s)" % resolution["how"] if resolution.get("how") else ""))
        elif status == "NO_CHANGE":
            row.update(outcome="unchanged", detail="already in the target sandbox (imported earlier)")
        elif status == "CREATED":
            row.update(outcome="created", detail="new in the target sandbox")
        else:
            row.update(outcome="unknown", detail=message or "status %s" % (status or "missing"))
        if not changed and row["outcome"] != "failed":
            previous = row["outcome"]
            row["outcome"] = "unchanged"
            row["detail"] = "already imported by job %s (%s then)" % (job_id, previous)
        rows.append(row)
    return rows


def _plan_rows(package, resolutions, conflicts, missing, policy, conflicts_known=True, checked=()):
    rows, seen = [], set()
    artifacts = list((package or {}).get("artifactsList") or [])
    for conflict in conflicts.values():
        artifacts.append(conflict.get("artifact") or {})
    artifacts.extend(checked)  # the dependencies the preflight checked
    for artifact in artifacts:
        src = to_text(artifact.get("id"))
        if not src or src in seen:
            continue
        seen.add(src)
        row = dict(source_id=src, type=artifact.get("type"), title=artifact.get("title"), target_id=None,
                   status=None, job_id=None)
        conflict = conflicts.get(src)
        if src in resolutions:
            target = resolutions[src]
            title = target.get("title") or _suggestion_title(conflict, target.get("id"))
            row.update(outcome="would reuse", target_id=target.get("id"),
                       detail="conflict would map to existing %s" % _describe_target(target.get("id"), title))
        elif conflict is not None and policy != "create_new":
            names = ", ".join(_describe_target(s.get("id"), s.get("title"))
                              for s in conflict.get("suggestionList") or [])
            row.update(outcome="conflict", detail="unresolved conflict (policy %s) with %s" % (policy or "fail", names))
        elif conflict is not None:
            row.update(outcome="would create", detail="conflicts with an existing artifact; policy create_new "
                                                      "creates a new one")
        elif conflicts_known:
            row.update(outcome="would create", detail="no conflict in the target sandbox")
        else:
            row.update(outcome="would create", detail="conflicts in the target sandbox not known yet")
        if src in missing:
            row["detail"] += "; missing permissions: %s" % missing[src]
        rows.append(row)
    return rows


def promotion_report(import_result, package=None, resolutions=None, context=None, conflict_resolution=None):
    """The report of a promotion: ``rows``, ``summary``, ``job_id``, ``mode``, ``changed`` and the ``context``."""
    result = _mapping(import_result, "the import result")
    package = _mapping(package, "package")
    context = dict(_mapping(context, "context"))
    merged = _resolutions(result.get("alternatives"))
    merged.update(_resolutions(result.get("resolutions")))
    merged.update(_resolutions(resolutions))
    conflicts = _conflicts(result.get("conflicts"))
    missing = _missing_permissions(result.get("permissions"))
    job = result.get("job") if isinstance(result.get("job"), dict) else {}
    finished = bool(job.get("completedTasks")) or to_text(job.get("jobStatus") or "").upper() in (
        "SUCCESS", "FAILED", "CANCELLED")
    changed = bool(result.get("changed"))
    if job and finished:
        rows = _job_rows(job, changed, merged, conflicts)
        mode = "applied" if changed else "unchanged"
    else:
        rows = _plan_rows(package, merged, conflicts, missing, conflict_resolution, "conflicts" in result,
                          _checked_artifacts(result.get("permissions")))
        mode = "plan"
    summary = dict((outcome, 0) for outcome in OUTCOMES)
    for row in rows:
        summary[row["outcome"]] = summary.get(row["outcome"], 0) + 1
    summary = dict((k, v) for k, v in summary.items() if v or k in ("created", "reused", "unchanged", "failed"))
    return dict(
        mode=mode,
        changed=changed,
        job_id=job.get("id") if job else None,
        job_status=job.get("jobStatus") if job else None,
        package=dict(id=package.get("id"), name=package.get("name"), type=package.get("packageType"),
                     status=package.get("status")),
        rows=rows,
        summary=summary,
        failed=[r for r in rows if r["outcome"] == "failed"],
        missing_permissions=missing,
        context=context,
    )


def _cell(value):
    text = "" if value is None else to_text(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ") or " "


def _summary_text(summary):
    return ", ".join("%d %s" % (n, outcome) for outcome, n in summary.items() if n) or "nothing to promote"


def promotion_report_markdown(report, title="Sandbox promotion report"):
    """Render a report from ``promotion_report`` as Markdown (a table of the rows)."""
    report = _mapping(report, "report")
    if "rows" not in report:
        raise AnsibleFilterError("promotion_report_markdown: expects the output of aep.platform.promotion_report")
    ctx = report.get("context") or {}
    lines = ["# %s" % title, ""]
    mode = report.get("mode")
    lines.append("- **Mode:** %s" % {
        "plan": "plan (check mode: nothing was sent)",
        "applied": "applied",
        "unchanged": "nothing changed (this promotion was already done)",
    }.get(mode, mode))
    for key, label in (("source", "Source"), ("target", "Target")):
        where = ctx.get(key)
        if isinstance(where, dict):
            org = where.get("org_name") or where.get("org_id")
            if where.get("org_name") and where.get("org_id"):
                org = "%s (`%s`)" % (where["org_name"], where["org_id"])
            lines.append("- **%s:** %s, sandbox `%s`" % (label, org, where.get("sandbox")))
    package = report.get("package") or {}
    if package.get("name") or package.get("id"):
        lines.append("- **Package:** %s%s%s" % (
            package.get("name") or "", " (`%s`)" % package["id"] if package.get("id") else "",
            ", %s" % package["status"] if package.get("id") and package.get("status") else
            ", not created yet" if not package.get("id") else ""))
    if ctx.get("target_package_id"):
        lines.append("- **Package in the target org:** `%s`" % ctx["target_package_id"])
    if report.get("job_id"):
        lines.append("- **Import job:** `%s` (%s)" % (report["job_id"], report.get("job_status")))
    if ctx.get("conflict_resolution"):
        lines.append("- **Conflict policy:** %s" % ctx["conflict_resolution"])
    lines.append("- **Summary:** %s" % _summary_text(report.get("summary") or {}))
    lines.append("")
    notes = list(ctx.get("notes") or [])
    if notes:
        lines.append("## Notes")
        lines.append("")
        lines.extend("- %s" % to_text(n) for n in notes)
        lines.append("")
    lines.append("## Artifacts")
    lines.append("")
    rows = report.get("rows") or []
    if rows:
        cells = [[_cell(row.get(key)) for key, _label in COLUMNS] for row in rows]
        widths = [max([len(label), 3] + [len(c[i]) for c in cells]) for i, (_key, label) in enumerate(COLUMNS)]
        lines.append("| %s |" % " | ".join(label.ljust(w) for (_key, label), w in zip(COLUMNS, widths)))
        lines.append("|%s|" % "|".join("-" * (w + 2) for w in widths))
        for c in cells:
            lines.append(("| %s |" % " | ".join(v.ljust(w) for v, w in zip(c, widths))).rstrip())
    else:
        lines.append("No artifact to report.")
    failed = report.get("failed") or []
    if failed:
        lines.extend(["", "## Failures", ""])
        for row in failed:
            lines.append("- `%s` (%s, %s): %s" % (
                row.get("source_id"), row.get("type"), row.get("title"), row.get("detail")))
    return "\n".join(lines) + "\n"


class FilterModule(object):
    """aep.platform promotion report filters."""

    def filters(self):
        return dict(
            promotion_report=promotion_report,
            promotion_report_markdown=promotion_report_markdown,
        )
