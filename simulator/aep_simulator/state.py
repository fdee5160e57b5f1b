"""In-memory model of the simulated AEP organisations, loaded from a YAML state file.

See ``simulator/README.md`` for the state file format.
"""
import copy
import os
import secrets
import threading
import time
import uuid

import yaml

ARTIFACT_TYPES = (
    "JOURNEY", "ID_NAMESPACE", "REGISTRY_DATATYPE", "REGISTRY_CLASS", "REGISTRY_MIXIN",
    "REGISTRY_SCHEMA", "CATALOG_DATASET", "DULE_CONSENT_POLICY", "PROFILE_SEGMENT", "FLOW",
    "MAPPING_SET", "PROFILE_MERGE",
)

DEFAULT_SCOPES = ["openid", "AdobeID", "read_organizations",
                  "additional_info.projectedProductContext", "session"]

DEFAULT_DELAYS = {"publish": 0.3, "import": 0.3, "transfer": 0.3}

# Permissions an import needs per artifact type (modelled on the preflight example of the
# sandbox tooling docs). Every artifact also needs Sandbox:view.
REQUIRED_PERMISSIONS = {
    "PROFILE_SEGMENT": [("Schema", ["read"]), ("ProfileConfig", ["read"]),
                        ("Segment", ["read", "write", "delete"]),
                        ("Composition", ["read", "write", "delete"]),
                        ("Query", ["write"]), ("SegmentDashboard", ["read"])],
    "PROFILE_MERGE": [("ProfileConfig", ["read", "write", "delete"]), ("Dataset", ["read"])],
    "REGISTRY_SCHEMA": [("Schema", ["read", "write"])],
    "REGISTRY_CLASS": [("Schema", ["read", "write"])],
    "REGISTRY_MIXIN": [("Schema", ["read", "write"])],
    "REGISTRY_DATATYPE": [("Schema", ["read", "write"])],
    "CATALOG_DATASET": [("Schema", ["read"]), ("Dataset", ["read", "write"])],
    "ID_NAMESPACE": [("IdentityNamespace", ["read", "write"])],
    "DULE_CONSENT_POLICY": [("Policy", ["read", "write"])],
    "JOURNEY": [("Journey", ["read", "write"]), ("Segment", ["read"])],
    "FLOW": [("Sources", ["read", "write"]), ("Dataset", ["read"])],
    "MAPPING_SET": [("DataPrep", ["read", "write"]), ("Schema", ["read"])],
}


def required_permissions(artifact_type):
    return [("Sandbox", ["view"])] + REQUIRED_PERMISSIONS.get(artifact_type, [])


def now_ms():
    return int(time.time() * 1000)


def hex32():
    return uuid.uuid4().hex


def new_artifact_id(artifact_type, tenant):
    """A fresh id in the style AEP uses for that artifact type."""
    seg = {"REGISTRY_SCHEMA": "schemas", "REGISTRY_CLASS": "classes",
           "REGISTRY_MIXIN": "mixins", "REGISTRY_DATATYPE": "datatypes"}.get(artifact_type)
    if seg:
        return "https://ns.adobe.com/%s/%s/%s" % (tenant, seg, secrets.token_hex(24))
    if artifact_type == "CATALOG_DATASET":
        return secrets.token_hex(12)
    if artifact_type in ("MAPPING_SET", "DULE_CONSENT_POLICY", "PROFILE_MERGE"):
        return hex32()
    return str(uuid.uuid4())


class StateError(ValueError):
    pass


def load_state_file(path):
    with open(path) as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise StateError("state file %s: top level must be a mapping" % path)
    return data


def default_state_path():
    return os.path.join(os.path.dirname(__file__), "states", "demo.yaml")


class State:
    """The whole simulated world. Every access goes through ``lock``."""

    def __init__(self, config, job_delay=None):
        self.config = copy.deepcopy(config or {})
        self.job_delay_override = job_delay
        self.lock = threading.RLock()
        self._seq = 0
        self._build()

    # ------------------------------------------------------------------ loading
    def _build(self):
        cfg = copy.deepcopy(self.config)
        settings = cfg.get("settings") or {}
        self.settings = settings
        self.token_expires_in = int(settings.get("token_expires_in", 86399))
        delays = dict(DEFAULT_DELAYS)
        raw = settings.get("delays")
        if isinstance(raw, (int, float)):
            delays = {k: float(raw) for k in delays}
        elif isinstance(raw, dict):
            delays.update({k: float(v) for k, v in raw.items()})
        if self.job_delay_override is not None:
            delays = {k: float(self.job_delay_override) for k in delays}
        self.delays = delays
        self.fail_transfer_packages = set(settings.get("fail_transfer_packages") or [])

        self.orgs = {}          # org id -> org dict
        self.artifacts = {}     # (org, sandbox) -> {artifact id -> artifact}
        for org in cfg.get("orgs") or []:
            oid = org["id"]
            if oid in self.orgs:
                raise StateError("duplicate org %s" % oid)
            tenant = org.get("tenant") or "".join(c for c in org.get("name", oid).lower() if c.isalnum())
            o = {
                "id": oid, "name": org.get("name", oid), "region": org.get("region", "va7"),
                "tenant": tenant, "tenantId": org.get("tenant_id") or uuid.uuid5(uuid.NAMESPACE_DNS, oid).hex,
                "sandboxes": {},
            }
            for sb in org.get("sandboxes") or []:
                if isinstance(sb, str):
                    sb = {"name": sb}
                name = sb["name"]
                o["sandboxes"][name] = {
                    "id": sb.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, oid + "/" + name)),
                    "name": name,
                    "title": sb.get("title") or name.capitalize(),
                    "type": sb.get("type") or ("production" if name == "prod" else "development"),
                    "isDefault": bool(sb.get("default", name == "prod")),
                    "state": "active",
                    "region": o["region"],
                }
                arts = {}
                for a in sb.get("artifacts") or []:
                    art = self._mk_artifact(a)
                    if art["id"] in arts:
                        raise StateError("duplicate artifact %s in %s/%s" % (art["id"], oid, name))
                    arts[art["id"]] = art
                self.artifacts[(oid, name)] = arts
            self.orgs[oid] = o

        self.clients = {}
        for c in cfg.get("clients") or []:
            if c.get("org") not in self.orgs:
                raise StateError("client %s: unknown org %s" % (c.get("client_id"), c.get("org")))
            scopes = c.get("scopes") or DEFAULT_SCOPES
            if isinstance(scopes, str):
                scopes = [s.strip() for s in scopes.split(",") if s.strip()]
            self.clients[c["client_id"]] = {
                "client_id": c["client_id"], "client_secret": c["client_secret"],
                "org": c["org"], "scopes": list(scopes),
                "permissions": c.get("permissions", "all"),
                "name": c.get("name") or c["client_id"],
            }

        self.target_profiles = cfg.get("target_profiles") or {}
        self.target_auth_tokens = cfg.get("target_auth_tokens") or {}

        self.tokens = {}        # token -> {client_id, org, expires_at, scopes}
        self.packages = {}      # id -> package (internal)
        self.jobs = {}
        self.handshakes = {}
        self.transfers = {}
        self.audiences = {}     # id -> audience (with _org, _sandbox)
        self.batches = {}
        for a in cfg.get("audiences") or []:
            self.add_audience(a["org"], a.get("sandbox", "prod"), a)

    @staticmethod
    def _mk_artifact(a):
        t = a["type"]
        if t not in ARTIFACT_TYPES:
            raise StateError("artifact %s: unknown type %s" % (a.get("id"), t))
        deps = a.get("dependencies") or []
        return {
            "id": str(a["id"]), "type": t, "title": a.get("title") or str(a["id"]),
            "dependencies": [str(d) for d in deps],
            "import_error": a.get("import_error"),
            "origin": a.get("origin"),
        }

    def reset(self):
        """Back to the loaded state. Minted tokens survive (use expire_tokens to test 401s)."""
        with self.lock:
            tokens = self.tokens
            self._build()
            self.tokens = {t: v for t, v in tokens.items() if v["client_id"] in self.clients}

    def seq(self):
        self._seq += 1
        return self._seq

    # ------------------------------------------------------------------ helpers
    def sandbox_artifacts(self, org, sandbox):
        return self.artifacts.setdefault((org, sandbox), {})

    def has_sandbox(self, org, sandbox):
        return org in self.orgs and sandbox in self.orgs[org]["sandboxes"]

    def client_has(self, client_id, sandbox, resource, perm):
        c = self.clients.get(client_id)
        if not c:
            return False
        perms = c["permissions"]
        if perms == "all" or perms is None:
            return True
        sp = perms.get(sandbox, perms.get("*")) if isinstance(perms, dict) else None
        if sp is None:
            return False
        if sp == "all":
            return True
        if isinstance(sp, dict) and ("except" in sp or "all_except" in sp):
            ex = sp.get("except") or sp.get("all_except") or {}
            return perm not in (ex.get(resource) or [])
        if isinstance(sp, dict):
            return perm in (sp.get(resource) or [])
        return False

    def missing_permissions(self, client_id, sandbox, artifact_type):
        missing = []
        for res, perms in required_permissions(artifact_type):
            lacking = [p for p in perms if not self.client_has(client_id, sandbox, res, p)]
            if lacking:
                missing.append((res, lacking))
        return missing

    def add_audience(self, org, sandbox, data):
        ts = now_ms()
        aid = data.get("id") or str(uuid.uuid4())
        aud = {
            "id": aid, "name": data.get("name"), "description": data.get("description", ""),
            "audienceId": data.get("audienceId"), "namespace": data.get("namespace"),
            "originName": data.get("originName"), "imsOrgId": org,
            "sandbox": {"sandboxName": sandbox},
            "createdTime": ts, "updatedTime": ts, "_org": org, "_sandbox": sandbox,
            "_seq": self.seq(),
        }
        self.audiences[aid] = aud
        return aud

    def dump(self):
        """JSON-able snapshot of the mutable state (for GET /__sim/state)."""
        def clean(d):
            return {k: v for k, v in d.items() if not k.startswith("_")}
        arts = {}
        for (org, sb), items in self.artifacts.items():
            arts.setdefault(org, {})[sb] = [
                {k: v for k, v in a.items() if v is not None} for a in items.values()]
        return {
            "orgs": [{"id": o["id"], "name": o["name"], "region": o["region"],
                      "sandboxes": sorted(o["sandboxes"])} for o in self.orgs.values()],
            "artifacts": arts,
            "packages": [dict(clean(p), imsOrgId=p["imsOrgId"]) for p in self.packages.values()],
            "jobs": [clean(j) for j in self.jobs.values()],
            "handshakes": [clean(h) for h in self.handshakes.values()],
            "transfers": [clean(t) for t in self.transfers.values()],
            "audiences": [clean(a) for a in self.audiences.values()],
            "batches": [clean(b) for b in self.batches.values()],
            "tokens": len(self.tokens),
        }
