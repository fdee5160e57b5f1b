# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.aep.platform.plugins.filter.promotion_report import (
    FilterModule, promotion_report, promotion_report_markdown,
)

SCHEMA = "https://ns.adobe.com/acmedev/schemas/aaa"
CLASS = "https://ns.adobe.com/acmedev/classes/ccc"
SEGMENT = "seg-1"
JOURNEY = "jrn-1"


def task(aid, atype, title, status, new_id=None, task_status="SUCCESS", message=None):
    artifact = {"id": aid, "type": atype, "title": title,
                "messages": [{"status": status, "message": message or "%s %s" % (status, aid)}]}
    if new_id:
        artifact["newId"] = new_id
    return {"taskType": "IMPORT", "taskStatus": task_status, "artifact": artifact}


def import_result(changed=True, tasks=None, status="SUCCESS", conflicts=None):
    return {
        "changed": changed,
        "job": {"id": "j" * 32, "jobStatus": status, "completedTasks": tasks or []},
        "conflicts": conflicts or [],
    }


CONFLICTS = [{
    "artifact": {"id": CLASS, "type": "REGISTRY_CLASS", "title": "Loyalty Member"},
    "suggestionList": [{"id": "prod-class", "type": "REGISTRY_CLASS", "title": "Loyalty Member"},
                       {"id": "legacy", "type": "REGISTRY_CLASS", "title": "Loyalty Members (legacy)"}],
}]

PACKAGE = {"id": "p" * 32, "name": "Release 1", "packageType": "PARTIAL", "status": "PUBLISHED",
           "artifactsList": [{"id": SCHEMA, "type": "REGISTRY_SCHEMA", "title": "Loyalty Schema"},
                             {"id": SEGMENT, "type": "PROFILE_SEGMENT", "title": "Gold"}]}


def by_id(report):
    return dict((r["source_id"], r) for r in report["rows"])


def test_filters_are_registered():
    assert set(FilterModule().filters()) == {"promotion_report", "promotion_report_markdown"}


def test_first_run_outcomes_and_ids():
    result = import_result(tasks=[
        task(CLASS, "REGISTRY_CLASS", "Loyalty Member", "FOUND", new_id="prod-class"),
        task(SCHEMA, "REGISTRY_SCHEMA", "Loyalty Schema", "CREATED", new_id="new-schema"),
        task(SEGMENT, "PROFILE_SEGMENT", "Gold", "NO_CHANGE", new_id="old-seg"),
    ], conflicts=CONFLICTS)
    report = promotion_report(result, PACKAGE, {CLASS: {"id": "prod-class", "type": "REGISTRY_CLASS"}})
    rows = by_id(report)
    assert report["mode"] == "applied" and report["job_id"] == "j" * 32
    assert rows[CLASS]["outcome"] == "reused" and rows[CLASS]["target_id"] == "prod-class"
    # the title of the mapped artifact comes from the conflict's suggestion list
    assert rows[CLASS]["detail"] == "conflict mapped to the existing 'Loyalty Member'"
    assert rows[SCHEMA]["outcome"] == "created" and rows[SCHEMA]["target_id"] == "new-schema"
    assert rows[SEGMENT]["outcome"] == "unchanged" and rows[SEGMENT]["target_id"] == "old-seg"
    assert report["summary"]["created"] == 1 and report["summary"]["reused"] == 1
    assert report["summary"]["unchanged"] == 1 and report["summary"]["failed"] == 0
    assert report["failed"] == []


def test_target_id_from_replacement_map_when_no_new_id():
    result = import_result(tasks=[task(SCHEMA, "REGISTRY_SCHEMA", "S", "CREATED")])
    result["job"]["importReplacementMap"] = {SCHEMA: "mapped"}
    assert promotion_report(result)["rows"][0]["target_id"] == "mapped"


def test_second_run_is_unchanged_and_names_the_earlier_job():
    result = import_result(changed=False, tasks=[
        task(SCHEMA, "REGISTRY_SCHEMA", "Loyalty Schema", "CREATED", new_id="new-schema"),
        task(CLASS, "REGISTRY_CLASS", "Loyalty Member", "FOUND", new_id="prod-class"),
    ])
    report = promotion_report(result, PACKAGE)
    assert report["mode"] == "unchanged"
    for row in report["rows"]:
        assert row["outcome"] == "unchanged"
        assert "already imported by job " + "j" * 32 in row["detail"]
    assert by_id(report)[SCHEMA]["target_id"] == "new-schema"
    assert "(created then)" in by_id(report)[SCHEMA]["detail"]
    assert report["summary"]["unchanged"] == 2 and report["summary"]["created"] == 0


def test_failures_are_rows_even_in_a_success_job():
    result = import_result(tasks=[
        task(SCHEMA, "REGISTRY_SCHEMA", "S", "CREATED", new_id="x"),
        task(SEGMENT, "PROFILE_SEGMENT", "Gold", "FAILED", task_status="FAILED",
             message="User does not have the permissions needed to create PROFILE_SEGMENT"),
        task(JOURNEY, "JOURNEY", "J", "SUCCESS", task_status="FAILED", message=None),
    ])
    report = promotion_report(result)
    rows = by_id(report)
    assert rows[SEGMENT]["outcome"] == "failed" and rows[SEGMENT]["target_id"] is None
    assert "permissions" in rows[SEGMENT]["detail"]
    assert rows[JOURNEY]["outcome"] == "failed"
    assert [r["source_id"] for r in report["failed"]] == [SEGMENT, JOURNEY]
    assert report["summary"]["failed"] == 2


def test_failed_rows_stay_failed_on_an_unchanged_run():
    result = import_result(changed=False, tasks=[
        task(SEGMENT, "PROFILE_SEGMENT", "Gold", "FAILED", task_status="FAILED")])
    assert promotion_report(result)["rows"][0]["outcome"] == "failed"


def test_plan_without_job():
    result = {"changed": True, "conflicts": CONFLICTS,
              "permissions": {"permissionResponse": [
                  {"artifactID": SEGMENT, "creationAllowed": False,
                   "missingPermissions": {"resources": [
                       {"palmResourceType": "Segment", "resourcePermissions": ["write", "delete"]}]}},
                  {"artifactID": SCHEMA, "creationAllowed": True, "missingPermissions": {"resources": []}}]}}
    report = promotion_report(result, PACKAGE, {CLASS: "prod-class"}, conflict_resolution="first_suggestion")
    rows = by_id(report)
    assert report["mode"] == "plan" and report["job_id"] is None
    assert rows[SCHEMA]["outcome"] == "would create"
    assert rows[CLASS]["outcome"] == "would reuse" and rows[CLASS]["target_id"] == "prod-class"
    assert "missing permissions: Segment(write,delete)" in rows[SEGMENT]["detail"]
    assert report["missing_permissions"] == {SEGMENT: "Segment(write,delete)"}


def test_plan_unresolved_conflict_under_fail_policy_and_create_new():
    result = {"changed": True, "conflicts": CONFLICTS}
    row = by_id(promotion_report(result, PACKAGE, conflict_resolution="fail"))[CLASS]
    assert row["outcome"] == "conflict" and "prod-class" in row["detail"] and "legacy" in row["detail"]
    row = by_id(promotion_report(result, PACKAGE, conflict_resolution="create_new"))[CLASS]
    assert row["outcome"] == "would create"


def test_resolutions_from_the_import_result_and_list_form():
    result = {"changed": True, "conflicts": CONFLICTS,
              "alternatives": {CLASS: {"id": "legacy", "type": "REGISTRY_CLASS"}}}
    row = by_id(promotion_report(result, PACKAGE))[CLASS]
    assert row["target_id"] == "legacy" and "Loyalty Members (legacy)" in row["detail"]
    row = by_id(promotion_report({"conflicts": CONFLICTS}, None,
                                 [{"source_id": CLASS, "target_id": "prod-class"}]))[CLASS]
    assert row["outcome"] == "would reuse" and row["target_id"] == "prod-class"


def test_pending_job_is_a_plan():
    result = {"changed": True, "job": {"id": "j", "jobStatus": "IN_PROGRESS"}}
    assert promotion_report(result, PACKAGE)["mode"] == "plan"


@pytest.mark.parametrize("bad", ["text", ["list"]])
def test_bad_input_is_a_filter_error(bad):
    with pytest.raises(AnsibleFilterError):
        promotion_report(bad)


def test_markdown_table_header_and_escaping():
    result = import_result(tasks=[task(SCHEMA, "REGISTRY_SCHEMA", "A | B\nC", "CREATED", new_id="new")])
    context = {"source": {"org_id": "SRC@AdobeOrg", "org_name": "Acme Dev Org", "sandbox": "dev"},
               "target": {"org_id": "DST@AdobeOrg", "sandbox": "prod"},
               "conflict_resolution": "first_suggestion", "notes": ["the orgs are linked"],
               "target_package_id": "t" * 32}
    md = promotion_report_markdown(promotion_report(result, PACKAGE, context=context), title="Release 1")
    lines = md.splitlines()
    assert lines[0] == "# Release 1"
    assert "- **Source:** Acme Dev Org (`SRC@AdobeOrg`), sandbox `dev`" in lines
    assert "- **Target:** DST@AdobeOrg, sandbox `prod`" in lines
    assert "- **Summary:** 1 created" in lines
    assert "- the orgs are linked" in lines
    header = [ln for ln in lines if ln.startswith("| Source id")][0]
    assert [c.strip() for c in header.strip("|").split("|")] == [
        "Source id", "Type", "Title", "Outcome", "Target id", "Detail"]
    row = [ln for ln in lines if ln.startswith("| %s" % SCHEMA)][0]
    assert "A \\| B C" in row
    # the escaped pipe keeps the row at the header's column count, and the columns are aligned
    assert row.replace("\\|", "").count("|") == 7
    assert len(row) == len(header)
    assert md.endswith("\n") and "## Failures" not in md


def test_markdown_lists_failures_and_plan_mode():
    result = import_result(tasks=[task(SEGMENT, "PROFILE_SEGMENT", "Gold", "FAILED", task_status="FAILED",
                                       message="boom")])
    md = promotion_report_markdown(promotion_report(result))
    assert "## Failures" in md and "boom" in md
    plan = promotion_report_markdown(promotion_report({"changed": True}, PACKAGE))
    assert "plan (check mode" in plan and "would create" in plan


def test_markdown_rejects_other_input():
    with pytest.raises(AnsibleFilterError):
        promotion_report_markdown({"not": "a report"})


def test_module_shapes_resolutions_and_permission_summary():
    """The import module's own shapes: resolutions {source, target, how} and the preflight summary."""
    resolutions = [
        {"source": {"id": CLASS, "type": "REGISTRY_CLASS", "title": "Loyalty Member"},
         "target": {"id": "prod-class", "type": "REGISTRY_CLASS", "title": "Loyalty Member"},
         "how": "first_suggestion", "suggestions": []},
        {"source": {"id": "dt", "type": "REGISTRY_DATATYPE", "title": "Postal"}, "target": None,
         "how": "unresolved", "suggestions": [{"id": "prod-dt", "type": "REGISTRY_DATATYPE", "title": "Postal"}]},
    ]
    permissions = {"checked": True, "creation_allowed": False, "denied": [SEGMENT], "artifacts": [
        {"id": SEGMENT, "type": "PROFILE_SEGMENT", "creation_allowed": False,
         "missing_permissions": {"Segment": ["write", "delete"]}, "mapped": False},
        {"id": CLASS, "type": "REGISTRY_CLASS", "creation_allowed": False,
         "missing_permissions": {"Schema": ["write"]}, "mapped": True},
    ]}
    result = {"changed": True, "conflicts": resolutions, "permissions": permissions}
    report = promotion_report(result, PACKAGE, resolutions, conflict_resolution="fail")
    rows = by_id(report)
    assert rows[CLASS]["outcome"] == "would reuse" and rows[CLASS]["target_id"] == "prod-class"
    assert rows["dt"]["outcome"] == "conflict" and "prod-dt" in rows["dt"]["detail"]
    # a mapped artifact is not created: its missing permissions do not matter
    assert report["missing_permissions"] == {SEGMENT: "Segment(write,delete)"}


def test_reused_detail_names_how_the_conflict_was_resolved():
    result = import_result(tasks=[task(CLASS, "REGISTRY_CLASS", "Loyalty Member", "FOUND", new_id="prod-class")],
                           conflicts=CONFLICTS)
    resolutions = [{"source": {"id": CLASS}, "target": {"id": "prod-class", "title": "Loyalty Member"},
                    "how": "first_suggestion"}]
    row = promotion_report(result, None, resolutions)["rows"][0]
    assert row["detail"] == "conflict mapped to the existing 'Loyalty Member' (first_suggestion)"


def test_plan_before_the_package_exists_says_what_is_not_known():
    package = {"name": "Release 1", "artifactsList": PACKAGE["artifactsList"]}
    report = promotion_report({}, package)
    assert [r["outcome"] for r in report["rows"]] == ["would create", "would create"]
    assert all(r["detail"] == "conflicts in the target sandbox not known yet" for r in report["rows"])
    assert "- **Package:** Release 1, not created yet" in promotion_report_markdown(report).splitlines()


def test_plan_lists_the_dependencies_the_preflight_checked():
    permissions = {"checked": True, "artifacts": [
        {"id": SCHEMA, "type": "REGISTRY_SCHEMA", "creation_allowed": True, "missing_permissions": {}},
        {"id": CLASS, "type": "REGISTRY_CLASS", "creation_allowed": True, "missing_permissions": {}}]}
    report = promotion_report({"changed": True, "conflicts": [], "permissions": permissions}, PACKAGE)
    assert [r["source_id"] for r in report["rows"]] == [SCHEMA, SEGMENT, CLASS]
    assert by_id(report)[CLASS]["outcome"] == "would create"
