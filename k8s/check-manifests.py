#!/usr/bin/env python3
"""Offline sanity check of rendered Roster manifests (stdlib only, no cluster, no network).

Input: the JSON stream that `kubectl annotate --local -f rendered.yaml KEY- -o json` prints (one
object per rendered document). It checks the rules this project relies on and the references between
objects (selectors, ports, ConfigMaps/Secrets, the JWT key, NetworkPolicy, ServiceMonitor, PrometheusRule,
dashboard, heap). Field names and types are schema/SchemaCheck.java's job (strict Kubernetes schemas);
validate.sh runs both.

A ConfigMap or Secret that a workload references but the overlay does not render is one the operator creates
(prod's roster-secrets and roster-jwt): allowed, and listed. With --apply-ready, the overlay must also be ready
to apply as it is: no placeholder anywhere (CHANGE_ME, example domains), an image from a named registry, and
every operator-created object named; then the list of those objects, one per line as "KIND NAME KEY,KEY", is
written to EXTERNAL_OUT when given (validate.sh looks them up in a cluster when asked to).

Usage: check-manifests.py [--apply-ready [--external-out FILE]] OVERLAY JSON_FILE EXPECTED_DOCUMENT_COUNT
"""

import base64
import json
import pathlib
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
    "NetworkPolicy": "networking.k8s.io/v1",
    "ServiceMonitor": "monitoring.coreos.com/v1",
    "PrometheusRule": "monitoring.coreos.com/v1",
}
WORKLOADS = ("Deployment", "StatefulSet", "Job")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
CPU = re.compile(r"^(\d+(\.\d+)?)(m?)$")
MEMORY = re.compile(r"^(\d+)(Ki|Mi|Gi|Ti|k|M|G|T)?$")
MEMORY_UNITS = {None: 1, "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12,
                "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40}
REDIS_CLIENT_TYPES = {"standalone", "cluster", "sentinel", "replication"}
SECRET_KEYS = ("QUARKUS_MONGODB_CONNECTION_STRING", "QUARKUS_REDIS_HOSTS", "QUARKUS_REDIS_PASSWORD")
CONFIG_KEYS = ("QUARKUS_MONGODB_DATABASE", "ROSTER_CACHE_KEY_PREFIX", "QUARKUS_REDIS_CLIENT_TYPE")
JWT_KEYS = ("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER")
# Where the roster container reads each key from: (kind, name of the object, as named before kustomize's hash).
KEY_SOURCES = {**{k: ("Secret", "roster-secrets") for k in SECRET_KEYS},
               **{k: ("ConfigMap", "roster-jwt") for k in JWT_KEYS}}
PLACEHOLDER = re.compile(r"CHANGE_ME|REPLACE_ME|\.example\.|(^|[^a-z0-9.-])example\.(com|org|net|internal)\b")
# An exact release: 1.2.3 (a leading v, a suffix such as -alpine allowed), or a digest. `7`, `7.0`, `latest` float.
EXACT_TAG = re.compile(r"^v?\d+\.\d+\.\d+([.+-][\w.+-]*)?$")
SEVERITIES = ("critical", "warning", "info")
OPERATIONS_DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "operations.md"
# What bin/mint-token.sh signs: the dev overlay must accept exactly this.
DEV_ISSUER = "https://roster.dev"


class Report:
    def __init__(self, overlay):
        self.overlay = overlay
        self.errors = []
        self.warnings = []
        # (kind, name) -> keys read from it: the ConfigMaps and Secrets referenced but not rendered.
        self.external = {}

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
    tag = image.rsplit("/", 1)[-1].partition("@")[0].partition(":")[2]
    report.require("@sha256:" in image or EXACT_TAG.match(tag), w,
                   f"image {image!r} must name an exact release (1.2.3) or a digest, not a floating tag")
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
                refer(report, w, names, kind, source[ref].get("name"), None)
    for env in container.get("env", []):
        value_from = env.get("valueFrom") or {}
        for ref, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if ref in value_from and not value_from[ref].get("optional"):
                refer(report, w, names, kind, value_from[ref].get("name"), value_from[ref].get("key"))


def refer(report, w, names, kind, name, key):
    """A required reference: to a rendered object holding the key, or to one the operator creates."""
    if not report.require(isinstance(name, str) and name and not PLACEHOLDER.search(name), w,
                          f"refers to a {kind} without a usable name: {name!r}"):
        return
    if (kind, name) not in names:
        keys = report.external.setdefault((kind, name), set())
        if key:
            keys.add(key)
        return
    if key:
        report.require(key in names[(kind, name)], w, f"{kind} {name!r} has no key {key!r}")


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
        for volume in pod.get("volumes") or []:
            for field, kind, name_field in (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName")):
                source = volume.get(field)
                if source is not None and not source.get("optional"):
                    keys = [item.get("key") for item in source.get("items") or []] or [None]
                    for key in keys:
                        refer(report, f"{w} volume {volume.get('name')}", names, kind, source.get(name_field), key)


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
        return {**(obj.get("data") or {}), **{k: "" for k in obj.get("binaryData") or {}}}
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
    refs = {s.get("configMapRef", {}).get("name") for s in container.get("envFrom", [])}
    report.require(any(re.match(r"^roster-config(-[a-z0-9]{10})?$", r or "") for r in refs), w,
                   "needs envFrom of ConfigMap roster-config")
    # Each secret and JWT setting by name and required, so that a pod without it waits and says which is missing.
    env = {e.get("name"): e.get("valueFrom") or {} for e in container.get("env", [])}
    for key, (kind, name) in KEY_SOURCES.items():
        ref = env.get(key, {}).get("secretKeyRef" if kind == "Secret" else "configMapKeyRef") or {}
        report.require(re.match(rf"^{name}(-[a-z0-9]{{10}})?$", ref.get("name", "")) and ref.get("key") == key
                       and not ref.get("optional"), w, f"env {key} must come from {kind} {name}, key {key}, required")

    config = config_object(objects, "ConfigMap", "roster-config")
    secret = config_object(objects, "Secret", "roster-secrets")
    if report.require(config, "ConfigMap/roster-config", "not rendered"):
        data = decoded_data(config)
        for key in CONFIG_KEYS:
            report.require(key in data, where(config), f"{key} missing")
        report.require(data.get("QUARKUS_REDIS_CLIENT_TYPE") in REDIS_CLIENT_TYPES, where(config),
                       f"QUARKUS_REDIS_CLIENT_TYPE {data.get('QUARKUS_REDIS_CLIENT_TYPE')!r} unknown")
        for key in SECRET_KEYS + JWT_KEYS + ("MP_JWT_VERIFY_PUBLICKEY",):
            source = KEY_SOURCES.get(key, ("ConfigMap", "roster-jwt"))
            report.require(key not in data, where(config), f"{key} belongs in {source[0]} {source[1]}")
    if secret:
        for key in JWT_KEYS + ("MP_JWT_VERIFY_PUBLICKEY",):
            report.require(key not in decoded_data(secret), where(secret), f"{key} belongs in roster-jwt (one place for JWT)")
    jwt = config_object(objects, "ConfigMap", "roster-jwt")
    if jwt:
        check_jwt(report, pod, container, jwt, names_of(objects))
    for path, value in placeholders(objects):
        report.warn(path, f"placeholder {value!r}: replace it before applying (--apply-ready refuses it)")
    check_heap(report, w, container)
    check_network_policy(report, objects, deployment)
    for monitor in (o for o in objects if o.get("kind") == "ServiceMonitor"):
        check_service_monitor(report, objects, monitor)


def env_value(container, name):
    return next((e.get("value") for e in container.get("env", []) if e.get("name") == name), None)


def check_heap(report, w, container):
    """The heap follows the memory limit: the same percentage for run-java.sh and for a plain java."""
    ratio = env_value(container, "JAVA_MAX_MEM_RATIO")
    tool = env_value(container, "JAVA_TOOL_OPTIONS") or ""
    match = re.search(r"-XX:MaxRAMPercentage=(\d+(\.\d+)?)", tool)
    if report.require(ratio is not None and match, w,
                      "needs JAVA_MAX_MEM_RATIO and -XX:MaxRAMPercentage in JAVA_TOOL_OPTIONS"):
        report.require(float(ratio) == float(match.group(1)), w,
                       f"JAVA_MAX_MEM_RATIO {ratio} differs from MaxRAMPercentage {match.group(1)}")
        report.require(50 <= float(ratio) <= 80, w, f"heap at {ratio} % of the memory limit (want 50-80)")
    report.require("-Xmx" not in tool, w, "a fixed -Xmx ignores the container limit")
    report.require(((container.get("resources") or {}).get("limits") or {}).get("memory"), w,
                   "needs a memory limit for the heap percentage to apply to")


def check_jwt(report, pod, container, jwt, objects_by_name):
    """In a rendered roster-jwt: the key location is a JWKS URL, or a file in a mounted ConfigMap/Secret holding it."""
    config = decoded_data(jwt)
    location, issuer = config.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION", ""), config.get("MP_JWT_VERIFY_ISSUER", "")
    w = where(jwt)
    report.require(issuer, w, "MP_JWT_VERIFY_ISSUER is empty")
    if PLACEHOLDER.search(location) or location.startswith("https://"):
        return
    if not report.require(location.startswith("/"), w,
                          f"MP_JWT_VERIFY_PUBLICKEY_LOCATION {location!r} is neither https:// nor an absolute path"):
        return
    # A missing key file has been seen to fail every request, reads included: it must be mounted.
    mount = next((m for m in container.get("volumeMounts", [])
                  if location.startswith(m.get("mountPath", "").rstrip("/") + "/")), None)
    if not report.require(mount, w, f"{location} is on no volumeMount of the roster container"):
        return
    volume = next((v for v in pod.get("volumes", []) if v.get("name") == mount.get("name")), {})
    path = location[len(mount["mountPath"].rstrip("/")) + 1:]
    for field, kind, name_field in (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName")):
        if field in volume:
            items = {i.get("path"): i.get("key") for i in volume[field].get("items") or []}
            if items and path not in items:
                report.error(w, f"{location}: {path!r} is not among the items of volume {volume.get('name')!r}")
                return
            key = items.get(path, path)
            source = objects_by_name.get((kind, volume[field].get(name_field)))
            if source is not None:
                report.require("BEGIN PUBLIC KEY" in decoded_data(source).get(key, ""), w,
                               f"{kind} {volume[field].get(name_field)!r} holds no PEM public key {key!r}")
            return
    report.error(w, f"{location} is mounted from neither a ConfigMap nor a Secret")


def names_of(objects):
    return {(o.get("kind"), (o.get("metadata") or {}).get("name")): o for o in objects}


def strings(value, path):
    """Every string in a rendered object, with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings(item, f"{path}[{index}]")
    elif isinstance(value, str):
        yield path, value


def placeholders(objects):
    """(path, value) of every placeholder in the rendered objects, Secrets decoded."""
    for obj in objects:
        data = decoded_data(obj) if obj.get("kind") in ("ConfigMap", "Secret") else {}
        rest = {k: v for k, v in obj.items() if k not in ("data", "stringData")} if data else obj
        for path, value in list(strings(rest, where(obj))) + list(strings(data, f"{where(obj)} data")):
            match = PLACEHOLDER.search(value)
            if match:
                yield path, value if len(value) <= 80 else f"...{value[max(0, match.start() - 30):match.end() + 30]}..."


def ports_of(rule):
    return {(p.get("port"), p.get("protocol", "TCP")) for p in rule.get("ports") or []}


def check_network_policy(report, objects, deployment):
    labels = pod_labels(deployment)
    policy = next((o for o in objects if o.get("kind") == "NetworkPolicy"
                   and selects((o.get("spec", {}).get("podSelector") or {}).get("matchLabels") or {}, labels)), None)
    if not report.require(policy, "Deployment/roster", "no NetworkPolicy selects the roster pods"):
        return
    w, spec = where(policy), policy.get("spec", {})
    report.require({"Ingress", "Egress"} <= set(spec.get("policyTypes") or []), w, "needs policyTypes Ingress and Egress")
    admitted = set()
    for rule in spec.get("ingress") or []:
        peers = rule.get("from") or []
        report.require(peers and ports_of(rule), w, "every ingress rule names its peers and ports")
        for peer in peers:
            report.require((peer.get("namespaceSelector") or {}).get("matchLabels"), w,
                           "ingress peers are namespaces selected by label (an empty selector admits all)")
        admitted |= {port for port, _ in ports_of(rule)}
    report.require(admitted == {8080, 9000}, w, f"ingress admits ports {sorted(admitted, key=str)}, want 8080 and 9000")
    egress = set().union(*[ports_of(rule) for rule in spec.get("egress") or []] or [set()])
    for port in ((53, "UDP"), (53, "TCP"), (27017, "TCP"), (6379, "TCP")):
        report.require(port in egress, w, f"egress needs {port[0]}/{port[1]}")


def check_service_monitor(report, objects, monitor):
    w, spec = where(monitor), monitor.get("spec", {})
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    services = [o for o in objects if o.get("kind") == "Service" and selects(selector, o["metadata"].get("labels") or {})]
    if not report.require(services, w, "selector matches no Service"):
        return
    port_names = {p.get("name") for s in services for p in s.get("spec", {}).get("ports", [])}
    for endpoint in spec.get("endpoints") or []:
        report.require(endpoint.get("port") in port_names, w, f"endpoint port {endpoint.get('port')!r} is not a Service port name")
    if any(s["metadata"]["name"] == "roster" for s in services):
        report.require(any(e.get("port") == "management" and e.get("path") == "/q/metrics"
                           for e in spec.get("endpoints") or []), w, "must scrape /q/metrics on port management")


def anchors(markdown):
    """GitHub's anchors of a Markdown file's headings."""
    found = set()
    for line in markdown.splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if match:
            found.add(re.sub(r"[^\w\- ]", "", match.group(1).lower()).replace(" ", "-"))
    return found


def check_rules(report, objects):
    """Alerts an operator can act on: severity, how long, what happened and what to do, a runbook in the docs."""
    doc_anchors = anchors(OPERATIONS_DOC.read_text(encoding="utf-8")) if OPERATIONS_DOC.exists() else None
    seen = set()
    for rule_set in (o for o in objects if o.get("kind") == "PrometheusRule"):
        for group in rule_set.get("spec", {}).get("groups") or []:
            for rule in group.get("rules") or []:
                name = rule.get("alert") or rule.get("record")
                w = f"{where(rule_set)} rule {name!r}"
                report.require(name and name not in seen, w, "needs a name of its own (alert or record)")
                seen.add(name)
                report.require(str(rule.get("expr", "")).strip(), w, "expr is empty")
                if "record" in rule:
                    continue
                report.require(rule.get("for"), w, "needs `for:` (how long the condition holds before it fires)")
                severity = (rule.get("labels") or {}).get("severity")
                report.require(severity in SEVERITIES, w, f"label severity {severity!r} is not one of {SEVERITIES}")
                annotations = rule.get("annotations") or {}
                for key in ("summary", "description", "runbook_url"):
                    report.require(annotations.get(key), w, f"annotation {key} missing")
                for key, value in annotations.items():
                    report.require("://" not in value, w, f"annotation {key} links outside the repository")
                runbook = annotations.get("runbook_url", "")
                if runbook and doc_anchors is not None:
                    report.require(runbook.startswith("docs/operations.md#")
                                   and runbook.partition("#")[2] in doc_anchors, w,
                                   f"runbook_url {runbook!r} is no heading of docs/operations.md")


def check_dashboards(report, objects):
    for obj in (o for o in objects if o.get("kind") == "ConfigMap"
                and (o.get("metadata", {}).get("labels") or {}).get("grafana_dashboard") == "1"):
        data = obj.get("data") or {}
        report.require(data, where(obj), "a grafana_dashboard ConfigMap with no dashboard")
        for key, text in data.items():
            try:
                dashboard = json.loads(text)
            except ValueError as e:
                report.error(where(obj), f"{key} is not JSON: {e}")
                continue
            report.require(key.endswith(".json") and dashboard.get("uid") and dashboard.get("panels"), where(obj),
                           f"{key}: a dashboard needs a .json key, a uid and panels")


def check_dev(report, objects):
    images = {c.get("image", "").split(":")[0] for o in objects if o.get("kind") in WORKLOADS
              for c in pod_spec(o).get("containers", [])}
    report.require({"redis", "mongo"} <= images, "dev", "needs the official redis and mongo images")
    for kind, name in sorted(report.external):
        report.error("dev", f"{kind} {name} is referenced but not rendered: dev brings everything it needs")
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
    jwt = decoded_data(config_object(objects, "ConfigMap", "roster-jwt") or {})
    report.require(jwt.get("MP_JWT_VERIFY_ISSUER") == DEV_ISSUER, "ConfigMap/roster-jwt",
                   f"dev issuer must be {DEV_ISSUER} (what bin/mint-token.sh signs)")
    report.require(jwt.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "").startswith("/"), "ConfigMap/roster-jwt",
                   "dev verifies with the mounted dev key")


def check_prod(report, objects):
    report.require(replicas_of(objects, "Deployment", "roster") == 3, "Deployment/roster", "prod needs 3 replicas")
    config = decoded_data(config_object(objects, "ConfigMap", "roster-config") or {})
    report.require(config.get("QUARKUS_REDIS_CLIENT_TYPE") == "cluster", "ConfigMap/roster-config",
                   "prod uses Redis Cluster")
    report.require(config.get("QUARKUS_REDIS_TLS_CONFIGURATION_NAME")
                   and config.get(f"QUARKUS_TLS_{config['QUARKUS_REDIS_TLS_CONFIGURATION_NAME'].upper()}"
                                  "_HOSTNAME_VERIFICATION_ALGORITHM") == "HTTPS",
                   "ConfigMap/roster-config", "prod Redis TLS must verify host names (a named TLS configuration)")
    # Credentials and the identity provider come from the operator, never from files in git (nor the dev key).
    for kind, name in (("Secret", "roster-secrets"), ("ConfigMap", "roster-jwt")):
        report.require(not config_object(objects, kind, name) and (kind, name) in report.external, "prod",
                       f"{kind} {name} must be referenced by name and created by the operator, not rendered")
    for kind in ("ServiceMonitor", "PrometheusRule"):
        report.require(any(o.get("kind") == kind for o in objects), "prod", f"needs the {kind}")
    report.require(any((o.get("metadata", {}).get("labels") or {}).get("grafana_dashboard") == "1" for o in objects),
                   "prod", "needs the Grafana dashboard ConfigMap")


def check_apply_ready(report, objects):
    """What `kubectl apply` of this overlay needs beyond valid manifests: real values, and a registry to pull from."""
    for path, value in placeholders(objects):
        report.error(path, f"placeholder {value!r}")
    deployment = next((o for o in objects if o.get("kind") == "Deployment" and o["metadata"]["name"] == "roster"), {})
    for container in pod_spec(deployment).get("containers", []) if deployment else []:
        image = container.get("image", "")
        host = image.split("/", 1)[0] if "/" in image else ""
        report.require("." in host or ":" in host or host == "localhost", f"{where(deployment)} image",
                       f"{image!r} names no registry (it would be pulled from Docker Hub's library): set yours with"
                       " `kustomize edit set image roster=<registry>/roster:<tag>` in the overlay")


OVERLAY_CHECKS = {"dev": check_dev, "prod": check_prod}


def main(args):
    apply_ready, external_out = False, None
    while args and args[0].startswith("--"):
        option = args.pop(0)
        if option == "--apply-ready":
            apply_ready = True
        elif option == "--external-out" and args:
            external_out = args.pop(0)
        else:
            sys.exit(__doc__)
    if len(args) != 3:
        sys.exit(__doc__)
    overlay, path, expected_count = args
    report = Report(overlay)
    objects = read_json_stream(path)
    report.require(len(objects) == int(expected_count), "render",
                   f"{len(objects)} objects converted, {expected_count} documents rendered")
    names = {(o.get("kind"), (o.get("metadata") or {}).get("name")): set(decoded_data(o))
             if o.get("kind") in ("ConfigMap", "Secret") else set() for o in objects}
    check_common(report, objects)
    check_workloads(report, objects, names)
    check_services(report, objects)
    check_autoscaling(report, objects)
    check_roster(report, objects)
    check_rules(report, objects)
    check_dashboards(report, objects)
    OVERLAY_CHECKS.get(overlay, lambda *_: None)(report, objects)
    if apply_ready:
        report.warnings = []  # every placeholder is an error now
        check_apply_ready(report, objects)
    for line in report.warnings:
        print(f"  warning: {line}")
    for line in report.errors:
        print(f"  error: {line}")
    for (kind, name), keys in sorted(report.external.items()):
        print(f"  {overlay}: create before applying: {kind} {name}"
              + (f" (keys {', '.join(sorted(keys))})" if keys else ""))
    if external_out:
        with open(external_out, "w", encoding="utf-8") as out:
            for (kind, name), keys in sorted(report.external.items()):
                out.write(f"{kind} {name} {','.join(sorted(keys))}\n")
    kinds = sorted(f"{k}" for k, _ in names)
    summary = ", ".join(f"{kinds.count(k)} {k}" for k in sorted(set(kinds)))
    verdict = "ready to apply" if apply_ready else "OK"
    print(f"  {overlay}: {len(objects)} objects ({summary}): "
          + (verdict if not report.errors else f"{len(report.errors)} error(s)"))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
