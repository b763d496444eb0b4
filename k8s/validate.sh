#!/usr/bin/env bash
# Renders k8s/base and every k8s/overlays/* with `kubectl kustomize` and checks the result offline:
# no cluster, no network. Each rendered document is converted to JSON by
# `kubectl annotate --local` (client-side only) and checked by check-manifests.py (stdlib python).
#
#   bash k8s/validate.sh                    # skips (exit 0) when no usable kubectl is installed
#   bash k8s/validate.sh --require-kubectl  # fails instead (for CI)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
require_kubectl=false
for arg in "$@"; do
  case "$arg" in
    --require-kubectl) require_kubectl=true ;;
    -h | --help) sed -n '2,8p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

# The overlays use kustomize fields (labels, replicas, patches with targets) that need the
# kustomize v4.2+ built into kubectl 1.22+. Debian's kubernetes-client (1.20, kustomize v2.0.3)
# is too old to render them.
MIN_KUBECTL_MINOR=22

skip_or_fail() {
  cat >&2 <<EOF
validate.sh: $1
  Install kubectl >= 1.${MIN_KUBECTL_MINOR}, e.g. from the Kubernetes apt repository
  (https://pkgs.k8s.io/core:/stable:/v1.32/deb/, package kubectl) or as a single binary from
  https://dl.k8s.io/release/v1.32.4/bin/linux/amd64/kubectl (put it on PATH, chmod +x).
  Debian's own 'apt-get install kubernetes-client' gives kubectl 1.20, too old for these overlays.
EOF
  if $require_kubectl; then
    exit 1
  fi
  echo "validate.sh: SKIPPED (no usable kubectl; pass --require-kubectl to make this an error)"
  exit 0
}

command -v kubectl >/dev/null 2>&1 || skip_or_fail "kubectl not found on PATH."
command -v python3 >/dev/null 2>&1 || { echo "validate.sh: python3 is required" >&2; exit 1; }

minor="$(kubectl version --client -o json 2>/dev/null \
  | python3 -c 'import json,re,sys; print(re.sub(r"\D", "", json.load(sys.stdin)["clientVersion"]["minor"]))' \
  2>/dev/null || true)"
if [[ -z "$minor" || "$minor" -lt "$MIN_KUBECTL_MINOR" ]]; then
  skip_or_fail "kubectl 1.${minor:-?} is older than 1.${MIN_KUBECTL_MINOR}."
fi
echo "validate.sh: $(kubectl version --client 2>/dev/null | tr '\n' ' ')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Never read a kubeconfig: nothing below may talk to a cluster.
export KUBECONFIG="$work/no-kubeconfig"

targets=("$here/base")
for dir in "$here"/overlays/*/; do
  [[ -f "$dir/kustomization.yaml" ]] && targets+=("${dir%/}")
done

failed=0
for dir in "${targets[@]}"; do
  name="$(basename "$dir")"
  echo "== ${dir#"$here"/}"
  if ! kubectl kustomize "$dir" >"$work/$name.yaml" 2>"$work/$name.err"; then
    sed 's/^/  /' "$work/$name.err"
    echo "  $name: kustomize build FAILED"
    failed=1
    continue
  fi
  # Documents rendered = separators + 1; the JSON conversion must yield as many objects.
  documents=$(($(grep -c '^---$' "$work/$name.yaml" || true) + 1))
  if ! kubectl annotate --local -f "$work/$name.yaml" roster.dev/validate- -o json \
    >"$work/$name.json" 2>"$work/$name.err"; then
    sed 's/^/  /' "$work/$name.err"
    echo "  $name: YAML could not be parsed"
    failed=1
    continue
  fi
  python3 "$here/check-manifests.py" "$name" "$work/$name.json" "$documents" || failed=1
done

if [[ $failed -ne 0 ]]; then
  echo "validate.sh: FAILED"
  exit 1
fi
echo "validate.sh: all ${#targets[@]} kustomizations render and pass the offline checks"
