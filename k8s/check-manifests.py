#!/usr/bin/env python3
"""Offline sanity check of rendered Roster manifests (stdlib only, no cluster, no network).

Input: the JSON stream that `kubectl annotate --local -f rendered.yaml KEY- -o json` prints (one
object per rendered document). It checks the rules this project relies on and the references between
objects (selectors, ports, ConfigMaps/Secrets, the JWT key, NetworkPolicy, ServiceMonitor, heap). Field
names and types are schema/SchemaCheck.java's job (strict Kubernetes schemas); validate.sh runs both.

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
    "NetworkPolicy": "networking.k8s.io/v1",
    "ServiceMonitor": "monitoring.coreos.com/v1",
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
CONFIG_KEYS = ("QUARKUS_MONGODB_DATABASE", "ROSTER_CACHE_KEY_PREFIX", "QUARKUS_REDIS_CLIENT_TYPE",
               "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER")
PLACEHOLDER = re.compile(r"CHANGE_ME|\.example\.")
# What bin/mint-token.sh signs: the dev overlay must accept exactly this.
DEV_ISSUER = "https://roster.dev"


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
        check_jwt(report, objects, pod, container, data)
    if report.require(secret, "Secret/roster-secrets", "not rendered"):
        data = decoded_data(secret)
        for key in SECRET_KEYS:
            report.require(key in data, where(secret), f"{key} missing")
        for key in ("MP_JWT_VERIFY_PUBLICKEY", "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "MP_JWT_VERIFY_ISSUER"):
            report.require(key not in data, where(secret), f"{key} belongs in roster-config (one place for JWT)")
    for obj in (o for o in (config, secret) if o):
        placeholders = sorted(k for k, v in decoded_data(obj).items() if PLACEHOLDER.search(v))
        if placeholders:
            report.warn(where(obj), "placeholders to replace before deploying: " + ", ".join(placeholders))
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


def check_jwt(report, objects, pod, container, config):
    """The key location is a JWKS URL, or a file in a mounted ConfigMap/Secret that holds it."""
    location, issuer = config.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION", ""), config.get("MP_JWT_VERIFY_ISSUER", "")
    w = "ConfigMap/roster-config"
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
    key = location[len(mount["mountPath"].rstrip("/")) + 1:]
    for field, kind, name_field in (("configMap", "ConfigMap", "name"), ("secret", "Secret", "secretName")):
        if field in volume:
            source = next((o for o in objects if o.get("kind") == kind
                           and o["metadata"]["name"] == volume[field].get(name_field)), None)
            data = decoded_data(source) if source else {}
            report.require("BEGIN PUBLIC KEY" in data.get(key, ""), w,
                           f"{kind} {volume[field].get(name_field)!r} holds no PEM public key {key!r}")
            return
    report.error(w, f"{location} is mounted from neither a ConfigMap nor a Secret")


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
    config = decoded_data(config_object(objects, "ConfigMap", "roster-config") or {})
    report.require(config.get("MP_JWT_VERIFY_ISSUER") == DEV_ISSUER, "ConfigMap/roster-config",
                   f"dev issuer must be {DEV_ISSUER} (what bin/mint-token.sh signs)")
    report.require(config.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "").startswith("/"), "ConfigMap/roster-config",
                   "dev verifies with the mounted dev key")


def check_prod(report, objects):
    report.require(replicas_of(objects, "Deployment", "roster") == 3, "Deployment/roster", "prod needs 3 replicas")
    config = decoded_data(config_object(objects, "ConfigMap", "roster-config") or {})
    report.require(config.get("QUARKUS_REDIS_CLIENT_TYPE") == "cluster", "ConfigMap/roster-config",
                   "prod uses Redis Cluster")
    uri = decoded_data(config_object(objects, "Secret", "roster-secrets") or {}).get(
        "QUARKUS_MONGODB_CONNECTION_STRING", "")
    for option in ("w=majority", "readPreference=primary"):
        report.require(option in uri, "Secret/roster-secrets", f"prod MongoDB URI needs {option}")
    hosts = decoded_data(config_object(objects, "Secret", "roster-secrets") or {}).get("QUARKUS_REDIS_HOSTS", "")
    report.require(hosts and all(h.strip().startswith("rediss://") for h in hosts.split(",")),
                   "Secret/roster-secrets", "prod Redis hosts must all be rediss:// (TLS)")
    report.require(config.get("QUARKUS_REDIS_TLS_CONFIGURATION_NAME")
                   and config.get(f"QUARKUS_TLS_{config['QUARKUS_REDIS_TLS_CONFIGURATION_NAME'].upper()}"
                                  "_HOSTNAME_VERIFICATION_ALGORITHM") == "HTTPS",
                   "ConfigMap/roster-config", "prod Redis TLS must verify host names (a named TLS configuration)")
    report.require(not config_object(objects, "ConfigMap", "roster-jwt")
                   and config.get("MP_JWT_VERIFY_ISSUER") != DEV_ISSUER,
                   "ConfigMap/roster-config", "prod must not trust the dev JWT key or issuer")
    report.require(any(o.get("kind") == "ServiceMonitor" for o in objects), "prod", "needs the ServiceMonitor")


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
