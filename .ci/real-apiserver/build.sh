#!/bin/bash
# Build a real kube-apiserver v1.20.2 (and optionally kube-controller-manager) from Debian bookworm's
# `kubernetes` source package with Debian's Go 1.19, using Debian packages only. Idempotent: a second run
# with the binaries present does nothing. About 3-5 minutes on 2 cores with an empty Go cache.
#   WHAT="kube-apiserver" (default) or "kube-apiserver kube-controller-manager"
#   K8S_RUN_DIR (/tmp/k8s-run): binaries go to $K8S_RUN_DIR/bin; start.sh and stop.sh use the same folder.
set -euo pipefail
R=${K8S_RUN_DIR:-/tmp/k8s-run}
SRC=${K8S_SRC_DIR:-/tmp/k8s-src}; GP=$SRC-gopath; OUT=$R/bin; DL=/tmp/debsrc
WHAT=${WHAT:-"kube-apiserver"}
done_already=1; for w in $WHAT; do [ -x $OUT/$w ] || done_already=0; done
[ $done_already = 1 ] && { echo "already built: $(ls $OUT)"; exit 0; }

# 0. prerequisites: Go, etcd, bc, and deb-src entries for apt-get source
need=(); command -v go >/dev/null || need+=(golang-go); command -v etcd >/dev/null || need+=(etcd-server)
command -v bc >/dev/null || need+=(bc); command -v openssl >/dev/null || need+=(openssl)
if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && [ -f /etc/apt/sources.list.d/debian.sources ]; then
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > /etc/apt/sources.list.d/debian-src.sources
  need+=(_update)
fi
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  pk=(); for p in "${need[@]}"; do [ "$p" = _update ] || pk+=("$p"); done
  [ ${#pk[@]} -gt 0 ] && apt-get install -y -qq --no-install-recommends "${pk[@]}" >/dev/null
fi
export GOPATH=$GP GO111MODULE=off CGO_ENABLED=0 GOPROXY=off GOFLAGS= GOCACHE=${GOCACHE:-/tmp/k8s-gocache}
mkdir -p $DL $OUT

# 1. source: Debian's orig tarball is upstream v1.20.2 incl. vendor/ (34 MB)
if [ ! -f $SRC/cmd/kube-apiserver/apiserver.go ]; then
  (cd $DL && ls kubernetes_*.orig.tar.gz >/dev/null 2>&1 || apt-get source --download-only kubernetes)
  mkdir -p $SRC && tar xzf $DL/kubernetes_1.20.5+really1.20.2.orig.tar.gz -C $SRC --strip-components=1
fi
# 2. Go >=1.18 fix: vendored modern-go/reflect2 v1.0.1 segfaults in map iteration (json-iterator) -> use Debian's 1.0.2
R2=$SRC/vendor/github.com/modern-go/reflect2
if [ ! -f $R2/go_above_118.go ]; then
  (cd $DL && ls golang-github-modern-go-reflect2-dev_*.deb >/dev/null 2>&1 || apt-get download golang-github-modern-go-reflect2-dev)
  rm -rf $DL/r2 && dpkg-deb -x $DL/golang-github-modern-go-reflect2-dev_*.deb $DL/r2
  rm -f $R2/*.go $R2/*.s && cp $DL/r2/usr/share/gocode/src/github.com/modern-go/reflect2/*.{go,s} $R2/
fi
# 2b. Go >=1.18 fix: the vendored OpenAPI type validator tests "zero value" with reflect.DeepEqual on two reflect.Values,
#     which only ever matched nil under the Go 1.15 upstream built with; under Go 1.19 it also matches "", so every empty
#     string in a custom resource was refused as null (HTTP 422 `spec.x in body must be of type string: "null"`).
for f in $SRC/vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go $SRC/vendor/github.com/go-openapi/validate/type.go; do
  grep -q 'reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data))' $f && \
    sed -i 's/if data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {/if data == nil {/' $f
done
# 3. GOPATH layout (k8s <=1.26 builds with GO111MODULE=off; vendor/k8s.io/* are symlinks into staging/)
mkdir -p $GP/src/k8s.io && { [ -L $GP/src/k8s.io/kubernetes ] || ln -s $SRC $GP/src/k8s.io/kubernetes; }
cd $GP/src/k8s.io/kubernetes
# 4. pkg/generated/openapi/zz_generated.openapi.go is not in the tarball (Makefile.generated_files gen_openapi, KUBE target)
if [ ! -f pkg/generated/openapi/zz_generated.openapi.go ]; then
  go build -o $GP/bin/openapi-gen k8s.io/kubernetes/vendor/k8s.io/kube-openapi/cmd/openapi-gen
  DIRS=$(find -H . -not \( \( -path './_*' -o -path './.*' -o -path ./vendor \) -prune \) -type f -name '*.go' \
    | xargs grep -l '^// *+k8s:openapi-gen=' | sed 's|^./staging/src|vendor|; s|^\./||' \
    | grep -v -e '^vendor/k8s.io/code-generator/' -e '^vendor/k8s.io/sample-apiserver/' \
    | xargs -n1 dirname | LC_ALL=C sort -u | sed 's|^|k8s.io/kubernetes/|' | paste -sd, )
  mkdir -p _output
  $GP/bin/openapi-gen --logtostderr -i "$DIRS" -p k8s.io/kubernetes/pkg/generated/openapi -O zz_generated.openapi \
    -h vendor/k8s.io/code-generator/hack/boilerplate.go.txt -r _output/KUBE_violations.report
  diff -q _output/KUBE_violations.report api/api-rules/violation_exceptions.list  # must match upstream's list
fi
# 5. build with version stamping
V=v1.20.2; P=k8s.io/kubernetes/vendor
LD="-s -w -X $P/k8s.io/component-base/version.gitVersion=$V -X $P/k8s.io/component-base/version.gitMajor=1 -X $P/k8s.io/component-base/version.gitMinor=20 -X $P/k8s.io/component-base/version.gitTreeState=clean -X $P/k8s.io/component-base/version.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ) -X $P/k8s.io/client-go/pkg/version.gitVersion=$V -X $P/k8s.io/client-go/pkg/version.gitMajor=1 -X $P/k8s.io/client-go/pkg/version.gitMinor=20"
for w in $WHAT; do
  go build -trimpath -ldflags "$LD" -o $OUT/$w k8s.io/kubernetes/cmd/$w
done
ls -la $OUT
