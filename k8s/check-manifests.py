#!/usr/bin/env python3
"""Offline sanity check of rendered Roster manifests (stdlib only, no cluster, no network).

Input: the JSON stream that `kubectl annotate --local -f rendered.yaml KEY- -o json` prints (one
object per rendered document). This is not schema validation against the API server: it checks
the structure and the rules this project relies on, and the references between objects.

Usage: check-manifests.py OVERLAY JSON_FILE EXPECTED_DOCUMENT_COUNT
"""

import base64
import json
import re
import sys

API_VERSIONS = {
    "ConfigMap": "v1",
    "Secret": "v1",
    "Service": "v1",
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "Job": "batch/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
    "PodDisruptionBudget": "policy/v1",
}
WORKLOADS = ("Deployment", "StatefulSet", "Job")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
CPU = re.compile(r"^(\d+(\.\d+)?)(m?)$")
MEMORY = re.compile(r"^(\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$")
MEMORY_UNITS = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
                "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
REDIS_CLIENT_TYPES = {"standalone", "cluster", "sentinel", "replication"}
SECRET_KEYS = ("QUARKUS_MONGODB_CONNECTION_STRING", "QUARKUS_REDIS_HOSTS",
               "QUARKUS_REDIS_PASSWORD", "MP_JWT_VERIFY_PUBLICKEY")
CONFIG_KEYS = ("ROSTER_CACHE_KEY_PREFIX", "QUARKUS_REDIS_CLIENT_TYPE")


class Report:
    def __init__(self, overlay):
        self.overlay = overlay
        self.errors = []
        self.warnings = []

    def error(self, where, message):
        self.errors.append(f"{self.overlay}: {where}: {message}")

    def warn(self, where, message):
        self.warnings.append(f"{self.overlay}: {where}: {message}")

    def require(self, condition, where, message):
        if not condition:
            self.error(where, message)
        return condition


def read_json_stream(path):
    text = open(path, encoding="utf-8").read()
    decoder, objects, index = json.JSONDecoder(), [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return objects
        obj, index = decoder.raw_decode(text, index)
        # A single document may come back as a List; flatten it.
        objects.extend(obj.get("items", []) if obj.get("kind") == "List" else [obj])


def where(obj):
    return f"{obj.get('kind', '?')}/{obj.get('metadata', {}).get('name', '?')}"


def cpu_millis(value):
    match = CPU.match(str(value))
    if not match:
        return None
    number = float(match.group(1))
    return number if match.group(3) == "m" else number * 1000


def memory_bytes(value):
    match = MEMORY.match(str(value))
    return int(match.group(1)) * MEMORY_UNITS[match.group(2)] if match else None


def pod_spec(obj):
    return obj.get("spec", {}).get("template", {}).get("spec", {})


def pod_labels(obj):
    return obj.get("spec", {}).get("template", {}).get("metadata", {}).get("labels", {}) or {}


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_common(report, objects):
    seen = set()
    for obj in objects:
        w = where(obj)
        kind, meta = obj.get("kind"), obj.get("metadata") or {}
        name = meta.get("name")
        report.require(obj.get("apiVersion"), w, "apiVersion missing")
        report.require(kind, w, "kind missing")
        if not report.require(isinstance(name, str) and name, w, "metadata.name missing"):
            continue
        if kind in API_VERSIONS:
            report.require(obj.get("apiVersion") == API_VERSIONS[kind], w,
                           f"apiVersion {obj.get('apiVersion')} (expected {API_VERSIONS[kind]})")
        else:
            report.error(w, "kind not expected in this project (add it to API_VERSIONS)")
        pattern = DNS_LABEL if kind in ("Service", "StatefulSet") else DNS_SUBDOMAIN
        report.require(pattern.match(name), w, "name is not a valid DNS name")
        report.require((kind, name) not in seen, w, "defined twice")
        seen.add((kind, name))


def check_resources(report, w, container):
    resources = container.get("resources") or {}
    for part in ("requests", "limits"):
        for key, parse in (("cpu", cpu_millis), ("memory", memory_bytes)):
            value = (resources.get(part) or {}).get(key)
            if report.require(value is not None, w, f"resources.{part}.{key} missing"):
                report.require(parse(value) is not None, w, f"resources.{part}.{key} {value!r} unparsable")
    for key, parse in (("cpu", cpu_millis), ("memory", memory_bytes)):
        request = parse((resources.get("requests") or {}).get(key, ""))
        limit = parse((resources.get("limits") or {}).get(key, ""))
        if request is not None and limit is not None:
            report.require(request <= limit, w, f"{key} request exceeds its limit")


def check_container(report, w, pod, container, names, claims=()):
    w = f"{w} container {container.get('name', '?')}"
    image = container.get("image", "")
    report.require(container.get("name"), w, "name missing")
    report.require(image and ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest"),
                   w, f"image {image!r} must carry a fixed tag")
    check_resources(report, w, container)
    security = container.get("securityContext") or {}
    pod_security = pod.get("securityContext") or {}
    report.require(security.get("allowPrivilegeEscalation") is False, w, "allowPrivilegeEscalation must be false")
    report.require("ALL" in ((security.get("capabilities") or {}).get("drop") or []), w, "capabilities must drop ALL")
    report.require(security.get("runAsNonRoot", pod_security.get("runAsNonRoot")) is True, w, "runAsNonRoot must be true")
    port_names = {p.get("name") for p in container.get("ports", []) if p.get("name")}
    for probe_name in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container.get(probe_name) or {}
        for handler in ("httpGet", "tcpSocket"):
            port = (probe.get(handler) or {}).get("port")
            if isinstance(port, str):
                report.require(port in port_names, w, f"{probe_name} uses unknown port name {port!r}")
    volumes = {v.get("name") for v in pod.get("volumes", [])} | set(claims)
    for mount in container.get("volumeMounts", []):
        report.require(mount.get("name") in volumes, w, f"volumeMount {mount.get('name')!r} has no volume")
    for source in container.get("envFrom", []):
        for ref, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if ref in source and not source[ref].get("optional"):
                report.require((kind, source[ref].get("name")) in names, w,
                               f"envFrom {kind} {source[ref].get('name')!r} is not rendered")
    for env in container.get("env", []):
        value_from = env.get("valueFrom") or {}
        for ref, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if ref in value_from:
                report.require((kind, value_from[ref].get("name")) in names, w,
                               f"env {env.get('name')} refers to missing {kind} {value_from[ref].get('name')!r}")


def check_workloads(report, objects, names):
    for obj in (o for o in objects if o.get("kind") in WORKLOADS):
        w, spec, pod = where(obj), obj.get("spec", {}), pod_spec(obj)
        containers = pod.get("containers") or []
        if not report.require(containers, w, "no containers"):
            continue
        if obj["kind"] != "Job":
            selector = (spec.get("selector") or {}).get("matchLabels") or {}
            report.require(selects(selector, pod_labels(obj)), w, "selector does not match the pod template labels")
        if obj["kind"] == "StatefulSet":
            service = next((o for o in objects if o.get("kind") == "Service"
                            and o["metadata"]["name"] == spec.get("serviceName")), None)
            report.require(service and service.get("spec", {}).get("clusterIP") == "None", w,
                           f"serviceName {spec.get('serviceName')!r} must name a headless Service")
        claims = [c.get("metadata", {}).get("name") for c in spec.get("volumeClaimTemplates", [])]
        for container in containers + (pod.get("initContainers") or []):
            check_container(report, w, pod, container, names, claims)


def container_port_names(objects, selector):
    found = set()
    for obj in (o for o in objects if o.get("kind") in WORKLOADS and selects(selector, pod_labels(o))):
        for container in pod_spec(obj).get("containers", []):
            found |= {p.get("name") for p in container.get("ports", [])}
            found |= {p.get("containerPort") for p in container.get("ports", [])}
    return found


def check_services(report, objects):
    for obj in (o for o in objects if o.get("kind") == "Service"):
        w, spec = where(obj), obj.get("spec", {})
        selector = spec.get("selector") or {}
        targets = container_port_names(objects, selector)
        report.require(targets, w, "selector matches no workload in this overlay")
        for port in spec.get("ports", []):
            report.require(isinstance(port.get("port"), int), w, f"port {port.get('name')} is not a number")
            target = port.get("targetPort", port.get("port"))
            report.require(target in targets, w, f"targetPort {target!r} is not a port of the selected pods")


def replicas_of(objects, kind, name):
    return next((o.get("spec", {}).get("replicas", 1) for o in objects
                 if o.get("kind") == kind and o["metadata"]["name"] == name), None)


def check_autoscaling(report, objects):
    for obj in (o for o in objects if o.get("kind") == "HorizontalPodAutoscaler"):
        w, spec = where(obj), obj.get("spec", {})
        target = spec.get("scaleTargetRef") or {}
        report.require(replicas_of(objects, target.get("kind"), target.get("name")) is not None, w,
                       f"scaleTargetRef {target.get('kind')}/{target.get('name')} is not rendered")
        report.require(2 <= spec.get("minReplicas", 1) <= spec.get("maxReplicas", 0), w,
                       "needs 2 <= minReplicas <= maxReplicas")
        cpu = [m for m in spec.get("metrics", []) if m.get("type") == "Resource"
               and m.get("resource", {}).get("name") == "cpu"]
        report.require(cpu and cpu[0]["resource"].get("target", {}).get("type") == "Utilization", w,
                       "needs a CPU utilization target")
    for obj in (o for o in objects if o.get("kind") == "PodDisruptionBudget"):
        w, spec = where(obj), obj.get("spec", {})
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        matched = [o for o in objects if o.get("kind") in ("Deployment", "StatefulSet")
                   and selects(selector, pod_labels(o))]
        if report.require(matched, w, "selector matches no Deployment or StatefulSet"):
            replicas = matched[0].get("spec", {}).get("replicas", 1)
            # minAvailable equal to the replica count would block every node drain.
            report.require(isinstance(spec.get("minAvailable"), int) and spec["minAvailable"] < replicas,
                           w, f"minAvailable must be a number below the {replicas} replicas")


def decoded_data(obj):
    if obj.get("kind") == "ConfigMap":
        return dict(obj.get("data") or {})
    data = {k: base64.b64decode(v).decode("utf-8") for k, v in (obj.get("data") or {}).items()}
    data.update(obj.get("stringData") or {})
    return data


def config_object(objects, kind, prefix):
    """The generated ConfigMap/Secret (its name carries a hash suffix)."""
    return next((o for o in objects if o.get("kind") == kind
                 and re.match(rf"^{prefix}(-[a-z0-9]{{10}})?$", o["metadata"]["name"])), None)


def check_roster(report, objects):
    deployment = next((o for o in objects if o.get("kind") == "Deployment"
                       and o["metadata"]["name"] == "roster"), None)
    if not report.require(deployment, "Deployment/roster", "not rendered"):
        return
    w, pod = "Deployment/roster", pod_spec(deployment)
    report.require(deployment["spec"].get("replicas", 1) >= 2, w, "needs at least 2 replicas")
    container = next((c for c in pod.get("containers", []) if c.get("name") == "roster"), {})
    ports = {p.get("name"): p.get("containerPort") for p in container.get("ports", [])}
    report.require(ports.get("http") == 8080 and ports.get("management") == 9000, w,
                   "needs ports http 8080 and management 9000")
    for probe_name, path in (("startupProbe", "/q/health/started"), ("readinessProbe", "/q/health/ready"),
                             ("livenessProbe", "/q/health/live")):
        get = (container.get(probe_name) or {}).get("httpGet") or {}
        port = ports.get(get.get("port"), get.get("port"))
        report.require(get.get("path") == path and port == 9000, w, f"{probe_name} must GET {path} on 9000")
    security = container.get("securityContext") or {}
    run_as = security.get("runAsUser", (pod.get("securityContext") or {}).get("runAsUser"))
    report.require(run_as == 185, w, "must run as user 185")
    report.require(security.get("readOnlyRootFilesystem") is True, w, "readOnlyRootFilesystem must be true")
    empty_dirs = {v["name"] for v in pod.get("volumes", []) if "emptyDir" in v}
    report.require(any(m.get("mountPath") == "/tmp" and m.get("name") in empty_dirs
                       for m in container.get("volumeMounts", [])), w, "needs an emptyDir at /tmp")
    pre_stop = (((container.get("lifecycle") or {}).get("preStop") or {}).get("exec") or {}).get("command") or []
    sleep = int(pre_stop[-1]) if pre_stop[:1] == ["sleep"] and pre_stop[-1].isdigit() else None
    grace = pod.get("terminationGracePeriodSeconds", 30)
    report.require(sleep is not None and sleep < grace, w,
                   "needs a preStop sleep shorter than terminationGracePeriodSeconds")
    service = next((o for o in objects if o.get("kind") == "Service" and o["metadata"]["name"] == "roster"), {})
    service_ports = {p.get("name"): p.get("port") for p in service.get("spec", {}).get("ports", [])}
    report.require(service_ports.get("http") == 8080 and service_ports.get("management") == 9000,
                   "Service/roster", "needs ports http 8080 and management 9000")
    refs = {k for s in container.get("envFrom", []) for k in s}
    report.require({"configMapRef", "secretRef"} <= refs, w, "needs envFrom of a ConfigMap and a Secret")

    config = config_object(objects, "ConfigMap", "roster-config")
    secret = config_object(objects, "Secret", "roster-secrets")
    if report.require(config, "ConfigMap/roster-config", "not rendered"):
        data = decoded_data(config)
        for key in CONFIG_KEYS:
            report.require(key in data, where(config), f"{key} missing")
        report.require(data.get("QUARKUS_REDIS_CLIENT_TYPE") in REDIS_CLIENT_TYPES, where(config),
                       f"QUARKUS_REDIS_CLIENT_TYPE {data.get('QUARKUS_REDIS_CLIENT_TYPE')!r} unknown")
    if report.require(secret, "Secret/roster-secrets", "not rendered"):
        data = decoded_data(secret)
        for key in SECRET_KEYS:
            report.require(key in data, where(secret), f"{key} missing")
        placeholders = sorted(k for k, v in data.items() if re.search(r"CHANGE_ME|\.example\.", v))
        if placeholders:
            report.warn(where(secret), "placeholders to replace before deploying: " + ", ".join(placeholders))


def check_dev(report, objects):
    images = {c.get("image") for o in objects if o.get("kind") in WORKLOADS
              for c in pod_spec(o).get("containers", [])}
    report.require({"redis:7", "mongo:7"} <= images, "dev", "needs the official redis:7 and mongo:7 images")
    report.require(replicas_of(objects, "StatefulSet", "mongo") == 3, "StatefulSet/mongo", "needs 3 members")
    report.require(replicas_of(objects, "Deployment", "redis") == 1, "Deployment/redis", "needs 1 replica")
    redis = next((o for o in objects if o.get("kind") == "Deployment" and o["metadata"]["name"] == "redis"), None)
    args = [a for c in (pod_spec(redis).get("containers", []) if redis else []) for a in c.get("args", [])]
    policy = args[args.index("--maxmemory-policy") + 1] if "--maxmemory-policy" in args[:-1] else None
    report.require(policy == "noeviction", "Deployment/redis",
                   f"maxmemory-policy must be noeviction (every Roster key has a TTL), not {policy!r}")
    job = next((o for o in objects if o.get("kind") == "Job"), None)
    script = json.dumps(pod_spec(job)) if job else ""
    report.require("rs.initiate" in script, "Job", "needs a Job that runs rs.initiate")
    secret = decoded_data(config_object(objects, "Secret", "roster-secrets") or {})
    report.require(secret.get("QUARKUS_MONGODB_CONNECTION_STRING")
                   == "mongodb://mongo-0.mongo,mongo-1.mongo,mongo-2.mongo:27017/?replicaSet=rs0",
                   "Secret/roster-secrets", "dev MongoDB URI must point at the rs0 members")
    report.require(secret.get("QUARKUS_REDIS_HOSTS") == "redis://redis:6379",
                   "Secret/roster-secrets", "dev Redis must be redis://redis:6379")


def check_prod(report, objects):
    report.require(replicas_of(objects, "Deployment", "roster") == 3, "Deployment/roster", "prod needs 3 replicas")
    config = decoded_data(config_object(objects, "ConfigMap", "roster-config") or {})
    report.require(config.get("QUARKUS_REDIS_CLIENT_TYPE") == "cluster", "ConfigMap/roster-config",
                   "prod uses Redis Cluster")
    uri = decoded_data(config_object(objects, "Secret", "roster-secrets") or {}).get(
        "QUARKUS_MONGODB_CONNECTION_STRING", "")
    for option in ("w=majority", "readPreference=primary"):
        report.require(option in uri, "Secret/roster-secrets", f"prod MongoDB URI needs {option}")


OVERLAY_CHECKS = {"dev": check_dev, "prod": check_prod}


def main(overlay, path, expected_count):
    report = Report(overlay)
    objects = read_json_stream(path)
    report.require(len(objects) == int(expected_count), "render",
                   f"{len(objects)} objects converted, {expected_count} documents rendered")
    names = {(o.get("kind"), (o.get("metadata") or {}).get("name")) for o in objects}
    check_common(report, objects)
    check_workloads(report, objects, names)
    check_services(report, objects)
    check_autoscaling(report, objects)
    check_roster(report, objects)
    OVERLAY_CHECKS.get(overlay, lambda *_: None)(report, objects)
    for line in report.warnings:
        print(f"  warning: {line}")
    for line in report.errors:
        print(f"  error: {line}")
    kinds = sorted(f"{k}" for k, _ in names)
    summary = ", ".join(f"{kinds.count(k)} {k}" for k in sorted(set(kinds)))
    print(f"  {overlay}: {len(objects)} objects ({summary}): "
          + ("OK" if not report.errors else f"{len(report.errors)} error(s)"))
    return 1 if report.errors else 0


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
