"""Flask application simulating the AEP gateway, IMS, sandbox tooling, audiences, batches and Target."""
import copy
import datetime
import difflib
import functools
import math
import socket
import time
import uuid

from flask import Flask, Response, g, jsonify, request

from .faults import GATEWAY_FAULT_BODIES, Faults, FaultSpecError
from .state import (ARTIFACT_TYPES, State, hex32, load_state_file, new_artifact_id, now_ms,
                    required_permissions)

EXIM = "/data/foundation/exim"
SMS = "/data/foundation/sandbox-management"
AIS = "/data/core/ais"
AUDIENCE_ACCEPT = "application/vnd.adobe.external.audiences+json"
DAY_MS = 86400 * 1000


# ---------------------------------------------------------------------- responses
def json_response(obj, status=200, headers=None):
    resp = jsonify(obj)
    resp.status_code = status
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


def gw_error(status, code, message, headers=None):
    return json_response({"error_code": str(code), "message": message}, status, headers)


def svc_error(status, code, title, detail, report=None):
    body = {"type": "https://ns.adobe.com/aep/errors/%s" % code, "title": title,
            "status": status, "detail": detail,
            "report": report or {"timestamp": now_ms(), "requestId": getattr(g, "request_id", None)}}
    return json_response(body, status)


class ApiError(Exception):
    def __init__(self, status, code, title, detail, report=None):
        super().__init__(detail)
        self.status, self.code, self.title, self.detail, self.report = status, code, title, detail, report


def bad_request(detail, code="EXIM-4001-400"):
    return ApiError(400, code, "Bad Request", detail)


def not_found(detail, code="EXIM-4040-404"):
    return ApiError(404, code, "Not Found", detail)


def forbidden(detail, code="EXIM-4030-403"):
    return ApiError(403, code, "Forbidden", detail)


# ---------------------------------------------------------------------- small helpers
def parse_time_ms(value, field):
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    s = str(value).strip()
    if s.isdigit():
        return int(s)
    try:
        if s.endswith("Z"):
            s = s[:-1] + "+00:00"
        dt = datetime.datetime.fromisoformat(s)
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=datetime.timezone.utc)
        return int(dt.timestamp() * 1000)
    except ValueError:
        raise bad_request("Invalid timestamp for %s: %r" % (field, value))


def body_json(kind=dict):
    data = request.get_json(silent=True, force=True)
    if data is None or not isinstance(data, kind):
        raise bad_request("Request body must be a JSON %s" % ("array" if kind is list else "object"))
    return data


def get_path(obj, dotted):
    cur = obj
    for part in dotted.split("."):
        if isinstance(cur, dict) and part in cur:
            cur = cur[part]
        else:
            return None
    return cur


_OPS = ("==", "!=", ">=", "<=", ">", "<", "~")


def parse_property(expr):
    best = None
    for op in _OPS:
        i = expr.find(op)
        if i > 0 and (best is None or i < best[0] or (i == best[0] and len(op) > len(best[1]))):
            best = (i, op)
    if best is None:
        field = expr.strip()
        if not field:
            raise bad_request("Invalid property filter: %r" % expr)
        return field, "exists", None
    i, op = best
    field, value = expr[:i].strip(), expr[i + len(op):].strip()
    if not field:
        raise bad_request("Invalid property filter: %r" % expr)
    return field, op, value


def _cmp_values(actual, value):
    if isinstance(actual, bool):
        return str(actual).lower(), value.lower()
    if isinstance(actual, (int, float)):
        try:
            return actual, parse_time_ms(value, "property")
        except ApiError:
            return str(actual), value
    return str(actual), value


def match_property(item, field, op, value):
    actual = get_path(item, field)
    if op == "exists":
        return actual is not None
    if op in ("==", "!="):
        opts = [v.strip() for v in value.split(",")]
        hit = any(str(actual) == v or (isinstance(actual, str) and actual.lower() == v.lower()
                                       and field in ("status", "jobStatus", "requestType", "type"))
                  for v in opts) if actual is not None else False
        return hit if op == "==" else not hit
    if op == "~":
        import re
        return actual is not None and re.search(value, str(actual)) is not None
    if actual is None:
        return False
    a, v = _cmp_values(actual, value)
    try:
        return {">=": a >= v, "<=": a <= v, ">": a > v, "<": a < v}[op]
    except TypeError:
        return False


def apply_filters(items, extra=None):
    """Filter by every ``property`` parameter (repeated = AND, comma = OR) and exact extras."""
    props = [parse_property(p) for p in request.args.getlist("property") if p.strip()]
    out = []
    for it in items:
        if all(match_property(it, f, op, v) for f, op, v in props) and \
                all(str(get_path(it, k)) == str(v) for k, v in (extra or {}).items()):
            out.append(it)
    return out


def int_arg(name, default, minimum=0):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        v = int(raw)
    except ValueError:
        raise bad_request("Query parameter %s must be an integer" % name)
    if v < minimum:
        raise bad_request("Query parameter %s must be >= %d" % (name, minimum))
    return v


def paged(items, default_order="-createdDate", extra_fields=False):
    order = request.args.get("orderby") or request.args.get("orderBy") or default_order
    desc = order.startswith("-")
    key = order.lstrip("+-").strip() or "createdDate"
    items = sorted(items, key=lambda x: (get_path(x, key) is None, get_path(x, key) if not isinstance(
        get_path(x, key), (dict, list)) else str(get_path(x, key)), x.get("_seq", 0)), reverse=desc)
    if desc:  # keep missing values last
        items = [i for i in items if get_path(i, key) is not None] + [i for i in items if get_path(i, key) is None]
    start = int_arg("start", 0)
    limit = int_arg("limit", 20, minimum=1)
    total = len(items)
    page = items[start:start + limit]
    body = {
        "totalElements": total,
        "currentPage": start // limit,
        "totalPages": int(math.ceil(total / float(limit))) if total else 0,
        "hasPreviousPage": start > 0,
        "hasNextPage": start + limit < total,
        "data": page,
    }
    if extra_fields:
        body["nextPage"] = None
        body["pageSize"] = None
    return body


def public(d):
    return {k: v for k, v in d.items() if not k.startswith("_")}


# ---------------------------------------------------------------------- app factory
def create_app(state=None, faults=None, job_delay=None):
    """Build the Flask app.

    ``state``: a :class:`State`, a config dict, a path to a YAML state file, or None (demo state).
    ``faults``: a fault spec (dict, JSON string or file path). ``job_delay``: seconds, overrides
    every delay of the state file.
    """
    if state is None or isinstance(state, str):
        from .state import default_state_path
        state = State(load_state_file(state or default_state_path()), job_delay=job_delay)
    elif isinstance(state, dict):
        state = State(state, job_delay=job_delay)
    elif job_delay is not None:
        state.job_delay_override = job_delay
        state.reset()
    st = state
    flt = faults if isinstance(faults, Faults) else Faults(faults)

    app = Flask("aep_simulator")
    app.json.sort_keys = False
    app.config["SIM_STATE"] = st
    app.config["SIM_FAULTS"] = flt
    request_log = []
    log_lock = __import__("threading").Lock()
    app.config["SIM_LOG"] = request_log

    # Strip trailing slashes (the docs use /packages/ and /transfer/ as often as not).
    inner_wsgi = app.wsgi_app

    def slash_stripping(environ, start_response):
        p = environ.get("PATH_INFO", "")
        if len(p) > 1 and p.endswith("/"):
            environ["PATH_INFO"] = p.rstrip("/") or "/"
        return inner_wsgi(environ, start_response)
    app.wsgi_app = slash_stripping

    # ------------------------------------------------------------ plumbing
    def drop_connection():
        sock = request.environ.get("werkzeug.socket")
        if sock is None:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def log_entry(status, fault=None):
        entry = {
            "method": request.method,
            "path": request.path,
            "query": {k: request.args.getlist(k) for k in request.args.keys()},
            "org": getattr(g, "org", None) or request.headers.get("x-gw-ims-org-id"),
            "sandbox": getattr(g, "sandbox", None) or request.headers.get("x-sandbox-name"),
            "status": status,
            "client_id": getattr(g, "client_id", None) or request.headers.get("x-api-key"),
            "fault": fault,
            "time": now_ms(),
        }
        with log_lock:
            request_log.append(entry)

    @app.before_request
    def before():
        g.request_id = hex32()
        g.fault = None
        if request.path.startswith("/__sim"):
            return None
        for hit in flt.decide(request.method, request.path):
            kind = hit["kind"]
            if kind == "latency":
                time.sleep(hit["seconds"])
            elif kind == "status":
                code = hit["status"]
                g.fault = "status"
                err_code, msg = GATEWAY_FAULT_BODIES.get(code, (str(code) + "000", "Simulated error"))
                headers = {}
                if code in (429, 503):
                    headers["Retry-After"] = str(hit.get("retry_after", 1))
                return gw_error(code, err_code, msg, headers)
            elif kind == "drop_before":
                g.fault = "drop_before"
                drop_connection()
                return Response("", status=500)
            elif kind == "drop_after":
                g.fault = "drop_after"
        if request.path.startswith("/data/"):
            return gateway_check()
        return None

    @app.after_request
    def after(resp):
        resp.headers["x-request-id"] = getattr(g, "request_id", None) or hex32()
        if request.path.startswith("/__sim"):
            return resp
        fault = getattr(g, "fault", None)
        if fault in ("drop_before", "drop_after"):
            if fault == "drop_after":
                drop_connection()
            log_entry(0, fault)
        else:
            log_entry(resp.status_code, fault)
        return resp

    @app.errorhandler(ApiError)
    def on_api_error(e):
        return svc_error(e.status, e.code, e.title, e.detail, e.report)

    @app.errorhandler(404)
    def on_404(e):
        return svc_error(404, "EXIM-4040-404", "Not Found",
                         "No route for %s %s" % (request.method, request.path))

    @app.errorhandler(405)
    def on_405(e):
        return svc_error(405, "EXIM-4050-405", "Method Not Allowed",
                         "Method %s is not allowed on %s" % (request.method, request.path))

    def gateway_check():
        auth = request.headers.get("Authorization")
        if not auth:
            return gw_error(403, "403010", "Oauth token is missing.")
        token = auth[7:].strip() if auth.lower().startswith("bearer ") else auth.strip()
        with st.lock:
            info = st.tokens.get(token)
            if info is None or info["expires_at"] <= time.time():
                return gw_error(401, "401013", "Oauth token is not valid")
            api_key = request.headers.get("x-api-key")
            if not api_key:
                return gw_error(403, "403000", "Api Key is required")
            client = st.clients.get(api_key)
            if client is None or client["org"] != info["org"]:
                return gw_error(403, "403003", "Api Key is invalid")
            org = request.headers.get("x-gw-ims-org-id")
            if not org:
                return gw_error(400, "400003", "Missing required header: x-gw-ims-org-id")
            if org != info["org"]:
                return gw_error(403, "403025", "Profile is not valid")
            g.org = org
            g.client_id = info["client_id"]
            if request.path.startswith(SMS):
                g.sandbox = request.headers.get("x-sandbox-name")
                return None
            sandbox = request.headers.get("x-sandbox-name")
            if not sandbox:
                return gw_error(400, "400003", "Missing required header: x-sandbox-name")
            sandbox = sandbox.strip().lower()
            g.sandbox = sandbox
            if not st.has_sandbox(org, sandbox):
                return svc_error(404, "SMS-0404-404", "Sandbox not found",
                                 "Sandbox '%s' does not exist in org %s" % (sandbox, org))
        return None

    def locked(fn):
        @functools.wraps(fn)
        def wrapper(*a, **kw):
            with st.lock:
                tick()
                return fn(*a, **kw)
        return wrapper

    def route(rule, methods=("GET",)):
        def deco(fn):
            app.add_url_rule(rule, endpoint=rule + ":" + ",".join(methods) + ":" + fn.__name__,
                             view_func=locked(fn), methods=list(methods))
            return fn
        return deco

    # ------------------------------------------------------------ time-driven transitions
    def delay(kind):
        return float(st.delays.get(kind, 0.3))

    def tick():
        now = time.time()
        due = []
        for p in st.packages.values():
            if p["status"] == "PUBLISH_IN_PROGRESS" and p["_due"] <= now:
                due.append((p["_due"], p["_seq"], "publish", p))
        for j in st.jobs.values():
            if j["requestType"] == "IMPORT" and not j["_done"] and j["_due"] <= now:
                due.append((j["_due"], j["_seq"], "import", j))
        for t in st.transfers.values():
            if not t["_done"] and t["_due"] <= now:
                due.append((t["_due"], t["_seq"], "transfer", t))
        due.sort(key=lambda x: (x[0], x[1]))
        for dummy_due, dummy_seq, kind, obj in due:
            {"publish": finish_publish, "import": finish_import, "transfer": finish_transfer}[kind](obj)

    def progress_status(obj, pending, running):
        elapsed = time.time() - obj["_created_t"]
        return pending if elapsed < obj["_delay"] / 3.0 else running

    # ------------------------------------------------------------ artifacts / graph
    def closure(arts, roots):
        """Ids reachable from roots (roots first), ignoring dangling references."""
        seen, order, stack = set(), [], list(reversed(roots))
        while stack:
            aid = stack.pop()
            if aid in seen or aid not in arts:
                continue
            seen.add(aid)
            order.append(aid)
            stack.extend(reversed(arts[aid]["dependencies"]))
        return order

    def topo(arts, ids):
        """Dependencies before dependents."""
        out, state = [], {}

        def visit(a):
            if state.get(a) == 2 or a not in arts:
                return
            if state.get(a) == 1:
                return  # cycle: ignore back edge
            state[a] = 1
            for d in arts[a]["dependencies"]:
                if d in ids:
                    visit(d)
            state[a] = 2
            out.append(a)
        for a in ids:
            visit(a)
        return out

    def parents_map(arts, roots):
        m = {}
        for r in roots:
            for aid in closure(arts, [r]):
                m.setdefault(aid, r)
        return m

    # ------------------------------------------------------------ packages
    def get_package(pid, org=None):
        p = st.packages.get(pid)
        if p is None or p["imsOrgId"] != (org or g.org):
            raise not_found("Package %s not found" % pid, "EXIM-4041-404")
        return p

    def render_package(p):
        out = public(p)
        out["packageVisibility"] = p["_visibility"].lower()
        out["artifactsList"] = [dict(a) for a in p["artifactsList"]]
        return out

    def artifact_entry(a, sandbox_arts):
        aid = str(a.get("id") or "")
        if not aid or not a.get("type"):
            raise bad_request("Every artifact needs an id and a type")
        if a["type"] not in ARTIFACT_TYPES:
            raise bad_request("Unsupported artifact type %s" % a["type"])
        title = a.get("title") or (sandbox_arts.get(aid) or {}).get("title") or aid
        return {"id": aid, "type": a["type"], "found": False, "count": 0, "title": title}

    def check_sandbox_arg(sb, what="sourceSandbox"):
        if not isinstance(sb, dict):
            raise bad_request("%s must be an object" % what)
        if sb.get("imsOrgId") and sb["imsOrgId"] != g.org:
            raise bad_request("%s.imsOrgId %s is not the org of the request (%s)" % (what, sb["imsOrgId"], g.org))
        name = (sb.get("name") or "").lower()
        if not st.has_sandbox(g.org, name):
            raise bad_request("%s '%s' does not exist in org %s" % (what, sb.get("name"), g.org))
        return {"name": name, "imsOrgId": g.org}

    def name_taken(org, name, exclude=None):
        return any(p["imsOrgId"] == org and p["name"] == name and p["id"] != exclude
                   for p in st.packages.values())

    def client_name():
        return g.client_id + "@AdobeID"

    @route(EXIM + "/packages", ["POST"])
    def create_package():
        b = body_json()
        name = b.get("name")
        if not name or not isinstance(name, str):
            raise bad_request("name is required")
        ptype = b.get("packageType")
        if ptype not in ("PARTIAL", "FULL"):
            raise bad_request("packageType must be PARTIAL or FULL")
        if name_taken(g.org, name):
            raise ApiError(400, "EXIM-4009-400", "Bad Request",
                           "Package with name '%s' already exists in org %s" % (name, g.org))
        src = check_sandbox_arg(b["sourceSandbox"]) if b.get("sourceSandbox") else {"name": g.sandbox, "imsOrgId": g.org}
        arts_in = b.get("artifacts") or []
        if ptype == "FULL" and arts_in:
            raise bad_request("artifacts must be null or empty for a FULL package")
        sarts = st.sandbox_artifacts(g.org, src["name"])
        arts, seen = [], set()
        for a in arts_in:
            e = artifact_entry(a, sarts)
            if e["id"] not in seen:
                seen.add(e["id"])
                arts.append(e)
        ts = now_ms()
        expiry = parse_time_ms(b.get("expiry"), "expiry") or ts + 90 * DAY_MS
        pid = hex32()
        p = {
            "id": pid, "version": 0, "createdDate": ts, "modifiedDate": ts,
            "createdBy": client_name(), "modifiedBy": client_name(),
            "tenantId": st.orgs[g.org]["tenantId"], "requestId": g.request_id, "userId": "platform_exim",
            "name": name, "description": b.get("description") or "", "imsOrgId": g.org,
            "sourceSandbox": src, "packageType": ptype, "expiry": expiry, "status": "DRAFT",
            "artifactsList": arts,
            "_visibility": "PRIVATE", "_seq": st.seq(), "_snapshot": None, "_due": None,
            "_job": None, "_origin_org": g.org,
        }
        st.packages[pid] = p
        return json_response(render_package(p), 201)

    def require_draft_partial(p):
        if p["packageType"] != "PARTIAL":
            raise bad_request("Action is supported only for PARTIAL packages", "EXIM-4003-400")
        if p["status"] != "DRAFT":
            raise bad_request("Package %s is %s; only DRAFT packages can be modified" % (p["id"], p["status"]),
                              "EXIM-4004-400")

    def touch(p):
        p["version"] += 1
        p["modifiedDate"] = now_ms()
        p["modifiedBy"] = client_name()

    def make_public(p):
        if p["status"] != "PUBLISHED":
            raise bad_request("Only PUBLISHED packages can be made public (package is %s)" % p["status"],
                              "EXIM-4005-400")
        if p["_visibility"] != "PUBLIC":
            p["_visibility"] = "PUBLIC"
            touch(p)
        out = render_package(p)
        out["packageVisibility"] = "PUBLIC"
        out["schemaMapping"] = {}
        out["sourceSandbox"] = dict(p["sourceSandbox"], empty=False)
        return out

    @route(EXIM + "/packages", ["PUT"])
    def update_package():
        b = body_json()
        p = get_package(str(b.get("id") or ""))
        action = b.get("action")
        if action not in ("ADD", "DELETE", "UPDATE"):
            raise bad_request("action must be ADD, DELETE or UPDATE")
        if action == "UPDATE" and b.get("packageVisibility") is not None:
            if str(b["packageVisibility"]).upper() != "PUBLIC":
                raise bad_request("packageVisibility can only be set to PUBLIC")
            return json_response(make_public(p), 201)
        require_draft_partial(p)
        if action == "ADD":
            sarts = st.sandbox_artifacts(g.org, p["sourceSandbox"]["name"])
            have = {a["id"] for a in p["artifactsList"]}
            for a in b.get("artifacts") or []:
                e = artifact_entry(a, sarts)
                if e["id"] not in have:
                    have.add(e["id"])
                    p["artifactsList"].append(e)
            if b.get("expiry"):
                p["expiry"] = parse_time_ms(b["expiry"], "expiry")
        elif action == "DELETE":
            drop = {str(a.get("id")) for a in b.get("artifacts") or []}
            p["artifactsList"] = [a for a in p["artifactsList"] if a["id"] not in drop]
        else:
            if "name" in b:
                if not b["name"]:
                    raise bad_request("name must not be empty")
                if name_taken(g.org, b["name"], exclude=p["id"]):
                    raise ApiError(400, "EXIM-4009-400", "Bad Request",
                                   "Package with name '%s' already exists in org %s" % (b["name"], g.org))
                p["name"] = b["name"]
            if "description" in b:
                p["description"] = b["description"] or ""
            if b.get("sourceSandbox"):
                p["sourceSandbox"] = check_sandbox_arg(b["sourceSandbox"])
            if b.get("expiry"):
                p["expiry"] = parse_time_ms(b["expiry"], "expiry")
        touch(p)
        return json_response(render_package(p), 201)

    @route(EXIM + "/packages/update", ["PUT"])
    def make_public_spec():
        b = body_json()
        p = get_package(str(b.get("id") or ""))
        if str(b.get("packageVisibility", "")).upper() != "PUBLIC":
            raise bad_request("packageVisibility must be PUBLIC")
        return json_response(make_public(p), 202)

    @route(EXIM + "/packages", ["GET"])
    def list_packages():
        items = [render_package(p) for p in st.packages.values() if p["imsOrgId"] == g.org]
        extra = {"status": request.args["status"]} if request.args.get("status") else None
        for it, p in zip(items, [p for p in st.packages.values() if p["imsOrgId"] == g.org]):
            it["_seq"] = p["_seq"]
        body = paged(apply_filters(items, extra))
        body["data"] = [public(x) for x in body["data"]]
        return json_response(body)

    @route(EXIM + "/packages/<pid>", ["GET"])
    def get_package_view(pid):
        return json_response(render_package(get_package(pid)))

    @route(EXIM + "/packages/<pid>", ["DELETE"])
    def delete_package(pid):
        p = get_package(pid)
        if p["status"] == "PUBLISH_IN_PROGRESS":
            raise bad_request("Package %s is being published and cannot be deleted" % pid)
        del st.packages[pid]
        return json_response({"reason": "Package %s deleted" % pid})

    # ---- publish
    def new_job(request_type, p, src, dst, name=None, description=None, kind="publish", extra=None):
        ts = now_ms()
        jid = hex32()
        j = {
            "id": jid, "name": name or p["name"], "description": description if description is not None else p["description"],
            "updated": ts, "created": ts, "jobType": "NEW", "packageType": p["packageType"],
            "jobStatus": "PENDING", "visibility": "TENANT", "sourceSandBox": src["name"],
            "targetSandbox": dst["name"] if dst else None, "createdBy": client_name(),
            "packageId": p["id"], "requestType": request_type, "imsOrgId": g.org,
            "_src": dict(src), "_dst": dict(dst) if dst else None, "_created_t": time.time(),
            "_delay": delay(kind), "_due": time.time() + delay(kind), "_done": False,
            "_seq": st.seq(), "_tasks": [], "_map": {}, "_parents": {}, "_client": g.client_id,
            "_expiry": p["expiry"],
        }
        j.update(extra or {})
        st.jobs[jid] = j
        return j

    @route(EXIM + "/packages/<pid>/export", ["GET"])
    def publish_package(pid):
        p = get_package(pid)
        if p["status"] not in ("DRAFT", "PUBLISH_FAILED"):
            raise bad_request("Package %s is %s and cannot be published" % (pid, p["status"]), "EXIM-4006-400")
        period = int_arg("expiryPeriod", 90)
        if p["packageType"] == "PARTIAL" and not p["artifactsList"]:
            raise bad_request("Package %s has no artifacts" % pid)
        p["status"] = "PUBLISH_IN_PROGRESS"
        p["_expiry_period"] = period
        job = new_job("EXPORT", p, p["sourceSandbox"], None)
        p["_job"] = job["id"]
        p["_due"] = job["_due"]
        touch(p)
        return json_response({
            "name": p["name"], "description": p["description"], "visibility": "TENANT",
            "sourceSandbox": dict(p["sourceSandbox"]), "type": p["packageType"],
            "correlationId": str(uuid.uuid4()), "jobId": job["id"],
        })

    def finish_publish(p):
        job = st.jobs.get(p["_job"])
        sarts = st.sandbox_artifacts(p["imsOrgId"], p["sourceSandbox"]["name"])
        if p["packageType"] == "FULL":
            roots = list(sarts)
        else:
            roots = [a["id"] for a in p["artifactsList"]]
        missing = [a for a in roots if a not in sarts]
        ts = now_ms()
        tasks = []
        if missing:
            p["status"] = "PUBLISH_FAILED"
            for a in p["artifactsList"]:
                ok = a["id"] not in missing
                tasks.append({"taskType": "EXPORT", "taskStatus": "SUCCESS" if ok else "FAILED",
                              "artifact": {"id": a["id"], "type": a["type"], "found": ok, "count": 0,
                                           "title": a.get("title"), "messages": [{
                                               "status": "EXPORTED" if ok else "NOT_FOUND", "attempt": 1,
                                               "message": "Exported object with ID: %s" % a["id"] if ok else
                                               "Object with ID %s not found in sandbox %s" % (
                                                   a["id"], p["sourceSandbox"]["name"])}]}})
        else:
            ids = closure(sarts, roots)
            p["_snapshot"] = {"artifacts": {i: copy.deepcopy(sarts[i]) for i in ids}, "roots": roots,
                              "org": p["imsOrgId"], "sandbox": p["sourceSandbox"]["name"]}
            if p["packageType"] == "FULL":
                p["artifactsList"] = [{"id": i, "type": sarts[i]["type"], "found": True, "count": 0,
                                       "title": sarts[i]["title"]} for i in roots]
            p["status"] = "PUBLISHED"
            p["publishDate"] = ts
            p["expiry"] = ts + p.get("_expiry_period", 90) * DAY_MS
            for i in ids:
                a = sarts[i]
                tasks.append({"taskType": "EXPORT", "taskStatus": "SUCCESS",
                              "artifact": {"id": i, "type": a["type"], "found": True, "count": 0,
                                           "title": a["title"], "messages": [{
                                               "status": "EXPORTED", "attempt": 1,
                                               "message": "Exported object with ID: %s" % i}]}})
        p["modifiedDate"] = ts
        p["version"] += 1
        if job:
            job["jobStatus"] = "FAILED" if missing else "SUCCESS"
            job["updated"] = ts
            job["_done"] = True
            job["_tasks"] = tasks
            if missing:
                job["_error"] = "Artifacts not found in sandbox %s: %s" % (
                    p["sourceSandbox"]["name"], ", ".join(missing))

    # ---- conflicts, preflight, children
    def require_published(p):
        if p["status"] != "PUBLISHED" or not p.get("_snapshot"):
            raise bad_request("Package %s is %s; it must be PUBLISHED" % (p["id"], p["status"]), "EXIM-4007-400")

    def target_sandbox_arg():
        tsb = (request.args.get("targetSandbox") or "").lower()
        if not tsb:
            raise bad_request("Query parameter targetSandbox is required")
        if not st.has_sandbox(g.org, tsb):
            raise bad_request("Target sandbox '%s' does not exist in org %s" % (tsb, g.org))
        return tsb

    def norm(t):
        return " ".join(str(t or "").lower().split())

    @route(EXIM + "/packages/<pid>/import", ["GET"])
    def conflicts(pid):
        p = get_package(pid)
        require_published(p)
        tsb = target_sandbox_arg()
        snap = p["_snapshot"]
        tarts = st.sandbox_artifacts(g.org, tsb)
        parents = parents_map(snap["artifacts"], snap["roots"])
        out = []
        for aid in closure(snap["artifacts"], snap["roots"]):
            a = snap["artifacts"][aid]
            same_type = [t for t in tarts.values() if t["type"] == a["type"]]
            exact = [t for t in same_type if norm(t["title"]) == norm(a["title"])]
            if not exact:
                continue
            scored = []
            for t in same_type:
                r = difflib.SequenceMatcher(None, norm(t["title"]), norm(a["title"])).ratio()
                if t in exact or r >= 0.5:
                    scored.append((0 if t in exact else 1, -r, t["title"], t))
            scored.sort(key=lambda x: x[:3])
            parent = snap["artifacts"].get(parents.get(aid, aid), a)
            out.append({
                "artifact": {"id": aid, "type": a["type"], "found": False, "count": 0,
                             "title": a["title"],
                             "messages": [{"status": "FOUND", "attempt": 1,
                                           "message": "Found object with ID: %s" % aid}]},
                "suggestionList": [{"id": t["id"], "type": t["type"], "found": False, "count": 0,
                                    "title": t["title"]} for *dummy, t in scored],
                "parentID": "%s::%s::%s::%s" % (snap["org"], snap["sandbox"], parent["type"], parent["id"]),
            })
        return json_response(out)

    @route(EXIM + "/packages/preflight/<pid>", ["GET"])
    @route(EXIM + "/packages/preflight/<pid>/export", ["GET"])
    def preflight(pid):
        p = get_package(pid)
        require_published(p)
        tsb = target_sandbox_arg()
        snap = p["_snapshot"]
        resp = []
        for aid in closure(snap["artifacts"], snap["roots"]):
            a = snap["artifacts"][aid]
            missing = st.missing_permissions(g.client_id, tsb, a["type"])
            resp.append({
                "artifactID": aid,
                "requiredPermissions": {"resources": [
                    {"palmResourceType": r, "resourcePermissions": list(ps)}
                    for r, ps in required_permissions(a["type"])]},
                "missingPermissions": {"resources": [
                    {"palmResourceType": r, "resourcePermissions": ps} for r, ps in missing]},
                "artifactType": a["type"],
                "creationAllowed": not missing,
            })
        return json_response({"packageID": pid, "targetSandboxName": tsb, "permissionResponse": resp})

    @route(EXIM + "/packages/<pid>/children", ["POST"])
    def children(pid):
        p = get_package(pid)
        items = body_json(list)
        if p.get("_snapshot"):
            arts = p["_snapshot"]["artifacts"]
        else:
            arts = st.sandbox_artifacts(g.org, p["sourceSandbox"]["name"])
        roots = []
        for it in items:
            if not isinstance(it, dict) or not it.get("id") or not it.get("type"):
                raise bad_request("Every item needs an id and a type")
            roots.append(str(it["id"]))
        out, seen = [], set()
        for aid in closure(arts, roots) + [r for r in roots if r not in arts]:
            if aid in seen:
                continue
            seen.add(aid)
            a = arts.get(aid)
            if a is None:
                typ = next(str(i["type"]) for i in items if str(i["id"]) == aid)
                out.append({"id": aid, "title": aid, "type": typ, "children": []})
                continue
            out.append({"id": aid, "title": a["title"], "type": a["type"], "children": [
                {"id": d, "title": arts[d]["title"], "type": arts[d]["type"]}
                for d in a["dependencies"] if d in arts]})
        return json_response(out, 201)

    @route(EXIM + "/packages/payload/<pid>", ["GET"])
    def payload(pid):
        p = st.packages.get(pid)
        if p is None or (p["imsOrgId"] != g.org and p["_visibility"] != "PUBLIC"):
            raise not_found("Package %s not found" % pid, "EXIM-4041-404")
        return json_response({"imsOrgId": p["imsOrgId"], "packageId": p["id"]})

    # ---- import
    @route(EXIM + "/packages/import", ["POST", "PUT"])
    def submit_import():
        b = body_json()
        p = get_package(str(b.get("id") or ""))
        require_published(p)
        dst = b.get("destinationSandbox")
        if not isinstance(dst, dict) or not dst.get("name"):
            raise bad_request("destinationSandbox.name is required")
        if dst.get("imsOrgId") and dst["imsOrgId"] != g.org:
            raise bad_request("destinationSandbox.imsOrgId must be the org of the request (%s)" % g.org)
        dst = check_sandbox_arg(dst, "destinationSandbox")
        alts = b.get("alternatives") or {}
        if not isinstance(alts, dict):
            raise bad_request("alternatives must be an object")
        clean_alts = {}
        for src_id, alt in alts.items():
            if not isinstance(alt, dict) or not alt.get("id") or not alt.get("type"):
                raise bad_request("alternatives.%s needs an id and a type" % src_id)
            clean_alts[str(src_id)] = {"id": str(alt["id"]), "type": alt["type"]}
        src = {"name": p["_snapshot"]["sandbox"], "imsOrgId": p["_snapshot"]["org"]}
        job = new_job("IMPORT", p, src, dst, name=b.get("name") or p["name"],
                      description=b.get("description") if b.get("description") is not None else p["description"],
                      kind="import",
                      extra={"_alts": clean_alts, "_snapshot": copy.deepcopy(p["_snapshot"])})
        status = 202 if request.method == "PUT" else 200
        return json_response({
            "name": job["name"], "description": job["description"], "visibility": "TENANT",
            "sourceSandbox": {"name": p["sourceSandbox"]["name"], "imsOrgId": p["sourceSandbox"]["imsOrgId"]},
            "destinationSandbox": dst, "type": p["packageType"],
            "correlationId": str(uuid.uuid4()), "jobId": job["id"],
        }, status)

    def finish_import(j):
        snap = j["_snapshot"]
        arts = snap["artifacts"]
        org, dsb = j["imsOrgId"], j["_dst"]["name"]
        tarts = st.sandbox_artifacts(org, dsb)
        tenant = st.orgs[org]["tenant"]
        ids = closure(arts, snap["roots"])
        order = topo(arts, set(ids))
        rmap, tasks, failed = {}, [], set()
        for aid in order:
            a = arts[aid]
            origin = "%s::%s::%s" % (snap["org"], snap["sandbox"], aid)
            alt = j["_alts"].get(aid)
            new_id, status, msg = None, None, None
            if alt:
                if alt["id"] in tarts:
                    new_id, status, msg = alt["id"], "FOUND", "Found object with ID: %s" % alt["id"]
                else:
                    status, msg = "FAILED", "Alternative object %s not found in sandbox %s" % (alt["id"], dsb)
            else:
                existing = next((t for t in tarts.values() if t.get("origin") == origin), None)
                missing = st.missing_permissions(j["_client"], dsb, a["type"])
                bad_deps = [d for d in a["dependencies"] if d in failed]
                if existing:
                    new_id, status, msg = existing["id"], "NO_CHANGE", "Object already exists with ID: %s" % existing["id"]
                elif a.get("import_error"):
                    status, msg = "FAILED", str(a["import_error"])
                elif missing:
                    status = "FAILED"
                    msg = "User does not have the permissions needed to create %s in sandbox %s: missing %s" % (
                        a["type"], dsb, "; ".join("%s(%s)" % (r, ",".join(ps)) for r, ps in missing))
                elif bad_deps:
                    status, msg = "FAILED", "Dependency %s could not be imported" % ", ".join(bad_deps)
                else:
                    new_id = new_artifact_id(a["type"], tenant)
                    tarts[new_id] = {"id": new_id, "type": a["type"], "title": a["title"],
                                     "dependencies": [rmap.get(d, d) for d in a["dependencies"]],
                                     "import_error": None, "origin": origin}
                    status, msg = "CREATED", "Created object with ID: %s" % new_id
            if status == "FAILED":
                failed.add(aid)
            else:
                rmap[aid] = new_id
            art = {"id": aid, "type": a["type"], "found": status in ("FOUND", "NO_CHANGE"), "count": 0,
                   "title": a["title"], "messages": [{"status": status, "attempt": 1, "message": msg}]}
            if new_id:
                art["newId"] = new_id
            tasks.append({"taskType": "IMPORT", "taskStatus": "FAILED" if status == "FAILED" else "SUCCESS",
                          "artifact": art})
        j["_tasks"] = tasks
        j["_map"] = rmap
        j["_parents"] = parents_map(arts, snap["roots"])
        j["jobStatus"] = "FAILED" if tasks and len(failed) == len(tasks) else "SUCCESS"
        j["updated"] = now_ms()
        j["_done"] = True

    # ---- jobs
    def render_job_item(j):
        out = public(j)
        if out.get("targetSandbox") is None:  # an EXPORT runs in the source sandbox
            out["targetSandbox"] = out["sourceSandBox"]
        if not j["_done"]:
            out["jobStatus"] = progress_status(j, "PENDING", "IN_PROGRESS")
        return out

    @route(EXIM + "/packages/jobs", ["GET"])
    def list_jobs():
        items = []
        for j in st.jobs.values():
            if j["imsOrgId"] == g.org:
                it = render_job_item(j)
                it["_seq"] = j["_seq"]
                items.append(it)
        extra = {k: request.args[k] for k in ("jobType", "jobStatus", "requestType", "packageType")
                 if request.args.get(k)}
        body = paged(apply_filters(items, extra), default_order="-created")
        body["data"] = [public(x) for x in body["data"]]
        return json_response(body)

    @route(EXIM + "/tools/job/<jid>", ["GET"])
    def fetch_job(jid):
        j = st.jobs.get(jid)
        if j is None or j["imsOrgId"] != g.org:
            raise not_found("Job %s not found" % jid, "EXIM-4042-404")
        status = j["jobStatus"] if j["_done"] else progress_status(j, "PENDING", "IN_PROGRESS")
        obj = {
            "id": j["id"], "name": j["name"], "description": j["description"], "visibility": "TENANT",
            "requestType": j["requestType"], "expiry": j["_expiry"], "snapshotId": j["id"],
            "createdTimestamp": j["created"], "modifiedTimestamp": j["updated"], "type": j["packageType"],
            "jobStatus": status, "jobType": j["jobType"], "counter": len(j["_tasks"]),
            "imsOrgId": j["imsOrgId"], "jobHash": j["id"][:16], "packageId": j["packageId"],
            "sourceSandbox": dict(j["_src"], empty=False),
            "completedTasks": copy.deepcopy(j["_tasks"]) if j["_done"] else [],
            "importReplacementMap": dict(j["_map"]) if j["_done"] else {},
            "sourceParentArtifactMap": dict(j["_parents"]) if j["_done"] else {},
        }
        if j["_dst"]:
            obj["destinationSandbox"] = dict(j["_dst"], empty=False)
        if j.get("_error"):
            obj["errorMessage"] = j["_error"]
        return json_response({"status": "OK", "type": "SUCCESS", "message": "Job %s fetched" % jid,
                              "object": obj})

    # ------------------------------------------------------------ handshakes
    def history(action, reason=None, name=None):
        return {"actionTakenBy": client_name(), "actionTakenByName": name or g.client_id,
                "actionTakenByImsOrgID": g.org, "action": action, "actionTimeStamp": now_ms(), "reason": reason}

    def render_handshake(h):
        out = public(h)
        if out.get("status") == "APPROVAL_PENDING":
            out["_alias"] = "IN_PROGRESS"
        import json as _json
        out["statusHistory"] = _json.dumps(h["_history"], separators=(",", ":"))
        return out

    @route(EXIM + "/handshake/bulkCreate", ["POST"])
    def bulk_create():
        b = body_json()
        targets = b.get("targetIMSOrgIds")
        src = b.get("sourceIMSDetails") or {}
        if not isinstance(targets, list) or not targets:
            raise bad_request("targetIMSOrgIds must be a non-empty list")
        if src.get("id") and src["id"] != g.org:
            raise bad_request("sourceIMSDetails.id must be the org of the request (%s)" % g.org)
        me = st.orgs[g.org]
        ok, failed = {}, {}
        for t in targets:
            t = str(t)
            if t == g.org:
                failed[t] = {"reason": "Cannot create a sharing request to the source org itself"}
                continue
            if t not in st.orgs:
                failed[t] = {"reason": "Organization %s not found" % t}
                continue
            dup = next((h for h in st.handshakes.values()
                        if {h["sourceIMSOrgId"], h["targetIMSOrgId"]} == {g.org, t}
                        and h["status"] in ("APPROVAL_PENDING", "APPROVED")), None)
            if dup:
                failed[t] = {"reason": "A %s sharing request already exists between %s and %s (linkingId %s)" % (
                    dup["status"], g.org, t, dup["linkingId"])}
                continue
            ts = now_ms()
            h = {
                "id": hex32(), "version": 0, "createdDate": ts, "modifiedDate": ts,
                "createdBy": client_name(), "modifiedBy": client_name(),
                "sourceIMSOrgId": g.org, "targetIMSOrgId": t, "sourceRegion": me["region"],
                "sourceIMSOrgName": src.get("name") or me["name"], "sourceOrgName": src.get("name") or me["name"],
                "targetOrgName": st.orgs[t]["name"],
                "status": "APPROVAL_PENDING", "createdByName": g.client_id, "modifiedByName": g.client_id,
                "modifiedByIMSOrgId": g.org, "linkingId": hex32(),
                "_history": [history("INITIATED")], "_seq": st.seq(),
            }
            st.handshakes[h["id"]] = h
            ok[t] = public(render_handshake(h))
        return json_response({"successfulRequests": ok, "failedRequests": failed}, 201)

    @route(EXIM + "/handshake/action", ["POST"])
    def handshake_action():
        b = body_json()
        lid = b.get("linkingID") or b.get("linkingId")
        status = b.get("status")
        if not lid:
            raise bad_request("linkingID is required")
        if status not in ("APPROVED", "REJECTED"):
            raise bad_request("status must be APPROVED or REJECTED")
        h = next((x for x in st.handshakes.values() if x["linkingId"] == lid or x["id"] == lid), None)
        if h is None or g.org not in (h["sourceIMSOrgId"], h["targetIMSOrgId"]):
            raise not_found("Sharing request %s not found" % lid, "EXIM-4043-404")
        if h["targetIMSOrgId"] != g.org:
            raise forbidden("Only the target org %s can act on sharing request %s" % (h["targetIMSOrgId"], lid))
        tdet = b.get("targetIMSOrgDetails") or {}
        if tdet.get("id") and tdet["id"] != g.org:
            raise bad_request("targetIMSOrgDetails.id must be the org of the request (%s)" % g.org)
        if h["status"] != "APPROVAL_PENDING":
            raise bad_request("Sharing request %s is already %s" % (lid, h["status"]), "EXIM-4008-400")
        me = st.orgs[g.org]
        h["status"] = status
        h["version"] += 1
        h["modifiedDate"] = now_ms()
        h["modifiedBy"] = client_name()
        h["modifiedByName"] = g.client_id
        h["modifiedByIMSOrgId"] = g.org
        h["targetRegion"] = tdet.get("region") or me["region"]
        h["targetOrgName"] = tdet.get("name") or me["name"]
        h["_history"].append(history(status, b.get("reason")))
        return json_response(public(render_handshake(h)), 201)

    @route(EXIM + "/handshake/list", ["GET"])
    def handshake_list():
        rt = (request.args.get("requestType") or "").upper()
        if rt and rt not in ("INCOMING", "OUTGOING"):
            raise bad_request("requestType must be INCOMING or OUTGOING")
        items = []
        for h in st.handshakes.values():
            if (rt in ("", "INCOMING") and h["targetIMSOrgId"] == g.org) or \
                    (rt in ("", "OUTGOING") and h["sourceIMSOrgId"] == g.org):
                it = render_handshake(h)
                it["_seq"] = h["_seq"]
                items.append(it)
        props = request.args.getlist("property")
        if any("IN_PROGRESS" in x for x in props):  # the docs call a pending request IN_PROGRESS
            for it in items:
                if it.get("_alias"):
                    it["status"] = "IN_PROGRESS"
        body = paged(apply_filters(items), extra_fields=True)
        for it in body["data"]:
            if it.get("_alias"):
                it["status"] = "APPROVAL_PENDING"
        body["data"] = [public(x) for x in body["data"]]
        return json_response(body)

    # ------------------------------------------------------------ transfers
    def linked(a, b):
        return any({h["sourceIMSOrgId"], h["targetIMSOrgId"]} == {a, b} and h["status"] == "APPROVED"
                   for h in st.handshakes.values())

    def new_transfer(p, target, request_type, initiator_org):
        ts = now_ms()
        t = {
            "id": hex32(), "version": 0, "createdDate": ts, "modifiedDate": ts,
            "createdBy": client_name(), "modifiedBy": client_name(),
            "sourceIMSOrgId": p["imsOrgId"], "sourceOrgName": st.orgs[p["imsOrgId"]]["name"],
            "targetIMSOrgId": target, "targetOrgName": st.orgs[target]["name"],
            "packageId": p["id"], "packageName": p["name"], "status": "PENDING",
            "initiatedBy": client_name(), "pipelineMessageId": hex32(), "requestType": request_type,
            "_created_t": time.time(), "_delay": delay("transfer"), "_due": time.time() + delay("transfer"),
            "_done": False, "_seq": st.seq(), "_initiator": initiator_org,
        }
        st.transfers[t["id"]] = t
        return t

    def render_transfer(t, fields=None):
        out = public(t)
        if not t["_done"]:
            out["status"] = progress_status(t, "PENDING", "IN_PROGRESS")
        if fields:
            out = {k: out[k] for k in fields if k in out}
        return out

    def finish_transfer(t):
        t["_done"] = True
        ts = now_ms()
        t["modifiedDate"] = ts
        t["completedTime"] = ts
        src = st.packages.get(t["packageId"])
        if src is None or src["name"] in st.fail_transfer_packages or src.get("status") != "PUBLISHED":
            t["status"] = "FAILED"
            t["failureReason"] = "Package %s could not be transferred" % t["packageId"]
            return
        name = src["name"]
        if name_taken(t["targetIMSOrgId"], name):
            name = "%s (%s)" % (name, t["sourceOrgName"])
            n = 2
            while name_taken(t["targetIMSOrgId"], name):
                name = "%s (%s %d)" % (src["name"], t["sourceOrgName"], n)
                n += 1
        pid = hex32()
        cp = copy.deepcopy(src)
        cp.update({
            "id": pid, "version": 0, "createdDate": ts, "modifiedDate": ts, "name": name,
            "imsOrgId": t["targetIMSOrgId"], "tenantId": st.orgs[t["targetIMSOrgId"]]["tenantId"],
            "_visibility": "PRIVATE", "_seq": st.seq(), "_job": None, "publishDate": ts,
            "createdBy": t["initiatedBy"], "modifiedBy": t["initiatedBy"],
        })
        st.packages[pid] = cp
        t["status"] = "COMPLETED"
        t["targetPackageId"] = pid

    TRANSFER_CREATE_FIELDS = ("id", "version", "createdDate", "modifiedDate", "createdBy", "modifiedBy",
                              "sourceIMSOrgId", "targetIMSOrgId", "packageId", "status", "initiatedBy",
                              "requestType", "targetPackageId")

    @route(EXIM + "/transfer", ["POST"])
    def create_transfer():
        b = body_json()
        p = get_package(str(b.get("packageId") or ""))
        targets = b.get("targets")
        if not isinstance(targets, list) or not targets:
            raise bad_request("targets must be a non-empty list")
        if p["status"] != "PUBLISHED":
            raise bad_request("Package %s is %s; only PUBLISHED packages can be shared" % (p["id"], p["status"]))
        orgs = []
        for t in targets:
            oid = str((t or {}).get("imsOrgId") or "")
            if oid not in st.orgs or oid == g.org:
                raise bad_request("Invalid target org %s" % oid)
            if not linked(g.org, oid):
                raise bad_request("No approved sharing link between %s and %s; send and approve a "
                                  "handshake first" % (g.org, oid), "EXIM-4010-400")
            orgs.append(oid)
        out = [render_transfer(new_transfer(p, oid, "PRIVATE", g.org), TRANSFER_CREATE_FIELDS) for oid in orgs]
        return json_response(out, 201)

    @route(EXIM + "/transfer/pullRequest", ["POST"])
    def pull_request():
        b = body_json()
        src_org = b.get("imsOrgId")
        pid = str(b.get("packageId") or "")
        if not src_org or not pid:
            raise bad_request("imsOrgId and packageId are required")
        p = st.packages.get(pid)
        if p is None or p["imsOrgId"] != src_org:
            raise not_found("Package %s not found in org %s" % (pid, src_org), "EXIM-4041-404")
        if src_org == g.org:
            raise bad_request("Package %s already belongs to org %s" % (pid, g.org))
        if p["_visibility"] != "PUBLIC" or p["status"] != "PUBLISHED":
            raise bad_request("Package %s is not a published public package" % pid, "EXIM-4011-400")
        t = new_transfer(p, g.org, "PUBLIC", g.org)
        return json_response(render_transfer(t, TRANSFER_CREATE_FIELDS + ("pipelineMessageId",)), 201)

    LIST_FIELDS = ("id", "sourceIMSOrgId", "sourceOrgName", "targetIMSOrgId", "targetOrgName", "packageId",
                   "packageName", "status", "initiatedBy", "completedTime", "createdDate", "requestType",
                   "targetPackageId")

    @route(EXIM + "/transfer/list", ["GET"])
    def transfer_list():
        rt = (request.args.get("requestType") or "").upper()
        if rt and rt not in ("PUBLIC", "PRIVATE"):
            raise bad_request("requestType must be PUBLIC or PRIVATE")
        items = []
        for t in st.transfers.values():
            if g.org in (t["sourceIMSOrgId"], t["targetIMSOrgId"]) and (not rt or t["requestType"] == rt):
                it = render_transfer(t, LIST_FIELDS)
                it["_seq"] = t["_seq"]
                items.append(it)
        body = paged(apply_filters(items), extra_fields=True)
        body["data"] = [public(x) for x in body["data"]]
        return json_response(body)

    @route(EXIM + "/transfer/<tid>", ["GET"])
    def transfer_get(tid):
        t = st.transfers.get(tid)
        if t is None or g.org not in (t["sourceIMSOrgId"], t["targetIMSOrgId"]):
            raise not_found("Transfer %s not found" % tid, "EXIM-4044-404")
        return json_response(render_transfer(t, LIST_FIELDS + ("failureReason",)))

    # ------------------------------------------------------------ sandbox management
    def render_sandbox(org, sb, system=True):
        created = "2024-01-15T10:00:00.000+00:00"
        out = {"name": sb["name"], "title": sb["title"], "state": sb["state"], "type": sb["type"],
               "region": sb["region"], "isDefault": sb["isDefault"], "etag": 1,
               "createdDate": created, "lastModifiedDate": created,
               "createdBy": "admin@AdobeID", "modifiedBy": "admin@AdobeID"}
        if system:
            out = dict({"id": sb["id"]}, **out)
        return out

    @route(SMS + "/sandboxes", ["GET"])
    def list_sandboxes():
        sbs = [render_sandbox(g.org, s) for s in st.orgs[g.org]["sandboxes"].values()]
        sbs = apply_filters(sbs)
        return json_response({"sandboxes": sbs, "_page": {"limit": 200, "count": len(sbs)}, "_links": {}})

    @route(SMS, ["GET"])
    def list_available():
        sbs = [render_sandbox(g.org, s, system=False) for s in st.orgs[g.org]["sandboxes"].values()]
        return json_response({"sandboxes": sbs, "_page": {"limit": 200, "count": len(sbs)}, "_links": {}})

    @route(SMS + "/sandboxes/<name>", ["GET"])
    def get_sandbox(name):
        sb = st.orgs[g.org]["sandboxes"].get(name.lower())
        if sb is None:
            raise ApiError(404, "SMS-0404-404", "Sandbox not found",
                           "Sandbox '%s' does not exist in org %s" % (name, g.org))
        return json_response(render_sandbox(g.org, sb))

    # ------------------------------------------------------------ audiences
    def render_audience(a):
        return public(a)

    def get_audience(aid):
        a = st.audiences.get(aid)
        if a is None or a["_org"] != g.org or a["_sandbox"] != g.sandbox:
            raise ApiError(404, "AIS-0404-404", "Not Found", "Audience %s not found" % aid)
        return a

    @route(AIS + "/audiences", ["POST"])
    def create_audience():
        if request.args.get("createAudienceMetaOnly") != "true":
            raise ApiError(400, "AIS-0400-400", "Bad Request",
                           "The query parameter createAudienceMetaOnly=true is required")
        accept = request.headers.get("Accept", "")
        if AUDIENCE_ACCEPT not in accept or "version=2" not in accept.replace(" ", ""):
            raise ApiError(400, "AIS-0401-400", "Bad Request",
                           "The header 'Accept: %s; version=2' is required" % AUDIENCE_ACCEPT)
        b = body_json()
        for f in ("name", "audienceId", "namespace"):
            if not b.get(f) or not isinstance(b.get(f), str):
                raise ApiError(400, "AIS-0402-400", "Bad Request", "Field %s is required" % f)
        dup = next((a for a in st.audiences.values() if a["_org"] == g.org and a["_sandbox"] == g.sandbox
                    and a["namespace"] == b["namespace"] and a["audienceId"] == b["audienceId"]), None)
        if dup:
            raise ApiError(409, "AIS-0409-409", "Conflict",
                           "An audience with namespace '%s' and audienceId '%s' already exists (id %s)" % (
                               b["namespace"], b["audienceId"], dup["id"]))
        a = st.add_audience(g.org, g.sandbox, {k: b.get(k) for k in (
            "name", "description", "audienceId", "namespace", "originName")})
        return json_response(render_audience(a), 200)

    @route(AIS + "/audiences", ["GET"])
    def list_audiences():
        items = []
        for a in st.audiences.values():
            if a["_org"] == g.org and a["_sandbox"] == g.sandbox:
                it = render_audience(a)
                it["_seq"] = a["_seq"]
                items.append(it)
        extra = {k: request.args[k] for k in ("namespace", "audienceId", "name") if request.args.get(k)}
        body = paged(apply_filters(items, extra), default_order="createdTime")
        body["data"] = [public(x) for x in body["data"]]
        body["children"] = body["data"]
        body["_page"] = {"totalCount": body["totalElements"], "pageSize": len(body["data"])}
        return json_response(body)

    @route(AIS + "/audiences/<aid>", ["GET"])
    def audience_get(aid):
        return json_response(render_audience(get_audience(aid)))

    @route(AIS + "/audiences/<aid>", ["PATCH"])
    def audience_patch(aid):
        a = get_audience(aid)
        b = body_json()
        unknown = set(b) - {"name", "description"}
        if unknown:
            raise ApiError(400, "AIS-0403-400", "Bad Request",
                           "Only name and description can be updated (got %s)" % ", ".join(sorted(unknown)))
        if "name" in b:
            if not b["name"]:
                raise ApiError(400, "AIS-0402-400", "Bad Request", "name must not be empty")
            a["name"] = b["name"]
        if "description" in b:
            a["description"] = b["description"] or ""
        a["updatedTime"] = now_ms()
        return json_response(render_audience(a))

    @route(AIS + "/audiences/<aid>", ["DELETE"])
    def audience_delete(aid):
        get_audience(aid)
        del st.audiences[aid]
        return Response(status=204)

    # ------------------------------------------------------------ batches
    def render_batch(bt):
        return public(bt)

    @route("/data/foundation/import/batches", ["POST"])
    def create_batch():
        b = body_json()
        ds = str(b.get("datasetId") or "")
        art = st.sandbox_artifacts(g.org, g.sandbox).get(ds)
        if not ds or art is None or art["type"] != "CATALOG_DATASET":
            raise ApiError(400, "CAT-4001-400", "Bad Request",
                           "Dataset '%s' does not exist in sandbox %s" % (ds, g.sandbox))
        ts = now_ms()
        bid = hex32()
        fmt = b.get("inputFormat") or {"format": "parquet"}
        if isinstance(fmt, str):
            fmt = {"format": fmt}
        tags = b.get("tags") or {}
        if not isinstance(tags, dict) or not all(
                isinstance(v, list) and all(isinstance(x, str) for x in v) for v in tags.values()):
            raise ApiError(400, "CAT-4005-400", "Bad Request", "tags must map tag names to lists of strings")
        tags = {k: list(v) for k, v in tags.items() if not k.startswith("acp_")}  # caller tags, kept as sent
        tags.update({"acp_producer": [g.client_id], "acp_stagePath": ["%s/stage/%s" % (g.client_id, bid)],
                     "use_plan_b_batch_status": ["false"]})
        bt = {
            "id": bid, "imsOrg": g.org, "updated": ts, "status": "loading", "created": ts,
            "relatedObjects": [{"type": "dataSet", "id": ds}], "version": "1.0.0",
            "tags": tags,
            "createdUser": client_name(), "updatedUser": client_name(), "externalId": bid,
            "createdClient": g.client_id, "inputFormat": fmt,
            "_org": g.org, "_sandbox": g.sandbox, "_seq": st.seq(),
        }
        st.batches[bid] = bt
        return json_response(render_batch(bt), 201)

    def get_batch(bid):
        bt = st.batches.get(bid)
        if bt is None or bt["_org"] != g.org or bt["_sandbox"] != g.sandbox:
            raise ApiError(404, "CAT-4040-404", "Not Found", "Batch %s not found" % bid)
        return bt

    @route("/data/foundation/import/batches/<bid>", ["POST"])
    def batch_action(bid):
        bt = get_batch(bid)
        action = (request.args.get("action") or "").upper()
        if action not in ("COMPLETE", "ABORT"):
            raise ApiError(400, "CAT-4002-400", "Bad Request", "Query parameter action must be COMPLETE or ABORT")
        if action == "COMPLETE":
            if bt["status"] == "aborted":
                raise ApiError(400, "CAT-4003-400", "Bad Request", "Batch %s is aborted and cannot be completed" % bid)
            bt["status"] = "success"
            bt.setdefault("completed", now_ms())
        else:
            if bt["status"] == "success":
                raise ApiError(400, "CAT-4004-400", "Bad Request", "Batch %s is already successful and cannot be aborted" % bid)
            bt["status"] = "aborted"
        bt["updated"] = now_ms()
        return Response(status=200)

    @route("/data/foundation/catalog/batches/<bid>", ["GET"])
    def catalog_batch(bid):
        bt = get_batch(bid)
        return json_response({bt["id"]: render_batch(bt)})

    def tags_match(tags, spec):
        """Catalog's ``tags`` filter: ``name`` or ``name:value``, comma-separated (all must match)."""
        for part in [p.strip() for p in spec.split(",") if p.strip()]:
            name, sep, value = part.partition(":")
            if name not in tags or (sep and value != "*" and value not in tags[name]):
                return False
        return True

    @route("/data/foundation/catalog/batches", ["GET"])
    def catalog_batches():
        out = {}
        for bt in sorted(st.batches.values(), key=lambda x: x["_seq"]):
            if bt["_org"] != g.org or bt["_sandbox"] != g.sandbox:
                continue
            if request.args.get("dataSet") and bt["relatedObjects"][0]["id"] != request.args["dataSet"]:
                continue
            if request.args.get("status") and bt["status"] != request.args["status"]:
                continue
            if request.args.get("tags") and not tags_match(bt.get("tags") or {}, request.args["tags"]):
                continue
            out[bt["id"]] = render_batch(bt)
        return json_response(out)

    # ------------------------------------------------------------ Target
    def target_lookup(key, value, not_found_msg):
        client = request.args.get("client")
        if not client:
            return json_response({"status": 400, "message": "Query parameter client is required"}, 400)
        tok = st.target_auth_tokens.get(client)
        if tok and request.headers.get("authorization") != tok:
            return json_response({"status": 401, "message": "Authentication token is missing or invalid"}, 401)
        for prof in st.target_profiles.get(client) or []:
            if str(prof.get(key)) == value:
                out = {"tntId": prof.get("tntId"), "thirdPartyId": prof.get("thirdPartyId"),
                       "profile": prof.get("profile") or {}}
                for k, v in prof.items():
                    out.setdefault(k, v)
                return json_response(out)
        return json_response({"status": 404, "message": not_found_msg % client}, 404)

    @route("/rest/v1/profiles/thirdPartyId/<tpid>", ["GET"])
    def target_third_party(tpid):
        return target_lookup("thirdPartyId", tpid,
                             "No profile found for client %%s with third party id=%s" % tpid.replace("%", "%%"))

    @route("/rest/v1/profiles/<tnt>", ["GET"])
    def target_tnt(tnt):
        return target_lookup("tntId", tnt, "No profile found for client %%s with mboxPC=%s" % tnt.replace("%", "%%"))

    # ------------------------------------------------------------ IMS
    @route("/ims/token/v3", ["POST"])
    def ims_token():
        f = request.form if request.form else request.args
        if f.get("grant_type") != "client_credentials":
            return json_response({"error": "unsupported_grant_type",
                                  "error_description": "grant_type must be client_credentials"}, 400)
        cid = f.get("client_id")
        c = st.clients.get(cid or "")
        if c is None:
            return json_response({"error": "invalid_client", "error_description": "invalid client_id parameter"}, 400)
        if f.get("client_secret") != c["client_secret"]:
            return json_response({"error": "invalid_client", "error_description": "invalid client_secret parameter"}, 401)
        scopes = [s.strip() for s in (f.get("scope") or "").replace(" ", ",").split(",") if s.strip()]
        bad = [s for s in scopes if s not in c["scopes"]]
        if bad:
            return json_response({"error": "invalid_scope",
                                  "error_description": "scope not granted to this client: %s" % ",".join(bad)}, 400)
        token = "sim-" + hex32() + hex32()
        st.tokens[token] = {"client_id": cid, "org": c["org"], "scopes": scopes or c["scopes"],
                            "expires_at": time.time() + st.token_expires_in}
        return json_response({"access_token": token, "token_type": "bearer", "expires_in": st.token_expires_in})

    # ------------------------------------------------------------ test hooks
    @app.route("/__sim/requests", methods=["GET", "DELETE"])
    def sim_requests():
        with log_lock:
            if request.method == "DELETE":
                del request_log[:]
                return json_response({"requests": []})
            return json_response({"requests": list(request_log)})

    @app.route("/__sim/reset", methods=["POST"])
    def sim_reset():
        st.reset()
        flt.set(None)
        with log_lock:
            del request_log[:]
        return json_response({"reset": True})

    @app.route("/__sim/faults", methods=["GET", "POST", "PUT", "DELETE"])
    def sim_faults():
        if request.method == "DELETE":
            flt.set(None)
        elif request.method in ("POST", "PUT"):
            try:
                flt.set(request.get_json(force=True, silent=True) or {})
            except FaultSpecError as exc:
                return json_response({"error": str(exc)}, 400)
            except (TypeError, ValueError) as exc:
                return json_response({"error": "invalid fault spec: %s" % exc}, 400)
        return json_response(flt.current())

    @app.route("/__sim/state", methods=["GET"])
    def sim_state():
        with st.lock:
            tick()
            return json_response(st.dump())

    @app.route("/__sim/tokens/expire", methods=["POST"])
    def sim_expire_tokens():
        with st.lock:
            for t in st.tokens.values():
                t["expires_at"] = 0
            n = len(st.tokens)
        return json_response({"expired": n})

    @app.route("/__sim/health", methods=["GET"])
    def sim_health():
        return json_response({"status": "ok"})

    return app
