#!/usr/bin/env bash
# tools/compose/base-images.sh — make sure the base images the project's Dockerfile and
# docker-compose.yml use exist locally, under exactly these names:
#
#   debian:bookworm-slim  node:20.20-bookworm-slim  redis:7.4-alpine  postgres:15-alpine
#
# Images already present are left alone (fast path: a couple of seconds for all four). For each
# missing one: `docker pull` bounded by $SSO_PULL_TIMEOUT seconds (default 30); when that fails, a
# local stand-in is built and tagged with the name (label sso.stand-in on every stand-in):
#   debian:bookworm-slim      debootstrap --variant=minbase from the mirror apt already uses + docker import
#   node:20.20-bookworm-slim  FROM debian:bookworm-slim + this machine's node, npm, corepack, Node headers
#                             and CA bundle (images/node/Dockerfile); then verified by building a
#                             throwaway image that compiles better-sqlite3 (SSO_VERIFY_NODE=0 skips)
#   redis:7.4-alpine          FROM debian:bookworm-slim + redis-server/redis-tools (images/redis/)
#   postgres:15-alpine        FROM debian:bookworm-slim + postgresql-15 (images/postgres/)
# Prints per image what happened and how long it took. Needs a running engine (tools/compose/engine.sh)
# and, for the stand-ins, root (debootstrap) and apt access to the Debian mirror from builds.
# Exits non-zero on any failure.
#
# Builds use the legacy builder (DOCKER_BUILDKIT=0): a docker CLI without the buildx plugin cannot use BuildKit.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PULL_TIMEOUT=${SSO_PULL_TIMEOUT:-30}
VERIFY_NODE=${SSO_VERIFY_NODE:-1}
export DOCKER_BUILDKIT=0

DEBIAN=debian:bookworm-slim
NODE=node:20.20-bookworm-slim
REDIS=redis:7.4-alpine
POSTGRES=postgres:15-alpine

say() { printf '%s\n' "base-images.sh: $*"; }
die() { printf '%s\n' "base-images.sh: ERROR: $*" >&2; exit 1; }

WORK=
cleanup() {
  [ -n "$WORK" ] && [ -d "$WORK" ] || return 0
  # debootstrap mounts proc/sys inside its target; never rm -rf through a mount
  local m
  for m in $(awk -v w="$WORK" 'index($2, w) == 1 { print $2 }' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT
workdir() { # make (once) and print the temporary folder
  if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/sso-base-images.XXXXXX); fi
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
present() { docker image inspect "$1" >/dev/null 2>&1; }

# --- debian:bookworm-slim -------------------------------------------------------------------------
apt_mirror() { # the Debian mirror apt already uses on this machine
  local m=
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    m=$(awk 'BEGIN { RS = ""; FS = "\n" }
      { uris = ""; suites = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/) { uris = $i; sub(/^URIs:[ \t]*/, "", uris); split(uris, u, /[ \t]+/); uris = u[1] }
          if ($i ~ /^Suites:/) suites = " " $i " "
        }
        if (uris != "" && suites ~ / bookworm /) { print uris; exit } }' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m=$(awk '$1 == "deb" && $0 ~ / bookworm / { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

build_debian() {
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install debootstrap)"
  [ "$(id -u)" -eq 0 ] || die "building $DEBIAN with debootstrap needs root"
  workdir
  local root="$WORK/rootfs" mirror
  mirror=$(apt_mirror)
  say "  debootstrap --variant=minbase bookworm from $mirror ..."
  if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 30 "$WORK/debootstrap.log" >&2
    cat "$WORK/debootstrap.log" "$root/debootstrap/debootstrap.log" >/tmp/sso-base-images-failed.log 2>/dev/null || true
    die "debootstrap failed (full log: /tmp/sso-base-images-failed.log)"
  fi

  # apt sources: the same the host uses (deb822 or one-line format), without comments
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    grep -v '^#' /etc/apt/sources.list.d/debian.sources >"$root/etc/apt/sources.list.d/debian.sources"
    rm -f "$root/etc/apt/sources.list"
  elif [ -f /etc/apt/sources.list ]; then
    grep -v '^#' /etc/apt/sources.list >"$root/etc/apt/sources.list"
  fi

  # the "slim" settings of the official image: no docs/man/locales from later installs, no apt caches
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# slim image: keep only copyright files of docs, no man pages, info or translations
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"

  # clean caches, docs and logs out of the tree
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/archives/partial/* \
    "$root"/var/cache/apt/*.bin "$root"/var/lib/apt/lists/* "$root"/var/cache/debconf/*-old \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/groff/* \
    "$root"/usr/share/lintian/* "$root"/usr/share/linda/* "$root"/usr/share/locale/* \
    "$root"/var/log/* "$root"/debootstrap "$root"/tmp/* "$root"/var/tmp/*
  find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
  find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
  mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
  : >"$root/etc/machine-id"
  : >"$root/etc/resolv.conf"
  echo localhost >"$root/etc/hostname"

  say "  docker import ($(du -sh "$root" | cut -f1) tree) ..."
  tar -C "$root" --numeric-owner -c . |
    docker import \
      --change 'CMD ["bash"]' \
      --change "LABEL sso.stand-in=\"$DEBIAN built locally by tools/compose/base-images.sh (debootstrap minbase)\"" \
      - "$DEBIAN" >/dev/null
  cleanup
  WORK=
}

# --- images built with a Dockerfile from images/<name>/ ----------------------------------------------
docker_build() { # tag context
  local tag=$1 ctx=$2
  if ! docker build --force-rm -t "$tag" "$ctx" >"$ctx.log" 2>&1; then
    tail -n 40 "$ctx.log" >&2
    cp "$ctx.log" /tmp/sso-base-images-failed.log
    die "docker build of $tag failed (full log: /tmp/sso-base-images-failed.log)"
  fi
}

build_from_dir() { # tag dir
  workdir
  local ctx="$WORK/$2"
  mkdir -p "$ctx"
  cp -a "$HERE/images/$2/." "$ctx/"
  say "  docker build from tools/compose/images/$2 ..."
  docker_build "$1" "$ctx"
}

build_node() {
  present "$DEBIAN" || die "$NODE needs $DEBIAN"
  local node npmdir incdir ca ctx
  node=$(command -v node) || die "no node on this machine to copy into $NODE"
  node=$(readlink -f "$node")
  case "$("$node" --version)" in v20.20.*) ;; *) die "this machine's node is $("$node" --version), not 20.20.x" ;; esac
  npmdir=$(readlink -f "$(dirname "$node")/../lib/node_modules/npm")
  [ -f "$npmdir/bin/npm-cli.js" ] || npmdir=$(npm root -g 2>/dev/null)/npm
  [ -f "$npmdir/bin/npm-cli.js" ] || die "cannot find npm (looked next to $node and in npm root -g)"
  incdir=$(readlink -f "$(dirname "$node")/../include/node")
  [ -f "$incdir/node_api.h" ] || incdir=/usr/include/node
  [ -f "$incdir/node_api.h" ] || die "cannot find Node headers (include/node next to $node or /usr/include/node)"
  ca=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
  [ -f "$ca" ] || ca=/etc/ssl/certs/ca-certificates.crt
  [ -f "$ca" ] || die "cannot find a CA bundle to copy into $NODE"

  workdir
  ctx="$WORK/node"
  mkdir -p "$ctx/lib" "$ctx/include"
  cp -a "$HERE/images/node/." "$ctx/"
  cp "$node" "$ctx/node"
  cp -a "$npmdir" "$ctx/lib/npm"
  if [ -d "$(dirname "$npmdir")/corepack" ]; then cp -a "$(dirname "$npmdir")/corepack" "$ctx/lib/corepack"; fi
  cp -aL "$incdir/." "$ctx/include/"
  cp -L "$ca" "$ctx/ca-certificates.crt"
  say "  docker build from tools/compose/images/node with $node ($("$node" --version)), npm $(node "$npmdir/bin/npm-cli.js" --version 2>/dev/null), headers $incdir, CA $ca ..."
  local v
  v=$("$node" --version)
  if ! docker build --force-rm --build-arg "NODE_VERSION=${v#v}" -t "$NODE" "$ctx" >"$ctx.log" 2>&1; then
    tail -n 40 "$ctx.log" >&2
    cp "$ctx.log" /tmp/sso-base-images-failed.log
    die "docker build of $NODE failed (full log: /tmp/sso-base-images-failed.log)"
  fi
  rm -rf "$ctx"
}

verify_node() { # a throwaway image FROM the node stand-in must compile better-sqlite3 and open a database
  local t0 ctx tag=sso-base-images-verify-node:tmp
  t0=$(now)
  workdir
  ctx="$WORK/verify-node"
  mkdir -p "$ctx"
  cat >"$ctx/Dockerfile" <<EOF
FROM $NODE
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++
RUN mkdir /x && cd /x && npm init -y && npm install better-sqlite3@12.11.1 && node -e "new (require('better-sqlite3'))(':memory:')"
RUN if [ -d /x/node_modules/better-sqlite3/build/Release/obj.target ]; then echo "VERIFY-RESULT: compiled from source with node-gyp"; else echo "VERIFY-RESULT: used a downloaded prebuilt binary"; fi
EOF
  say "  verifying $NODE: building a throwaway image that compiles better-sqlite3@12.11.1 ..."
  if ! docker build --force-rm --no-cache -t "$tag" "$ctx" >"$ctx.log" 2>&1; then
    tail -n 40 "$ctx.log" >&2
    cp "$ctx.log" /tmp/sso-base-images-failed.log
    docker rmi "$NODE" >/dev/null 2>&1 || true
    die "verification of $NODE failed; removed the stand-in so the next run rebuilds it"
  fi
  docker rmi "$tag" >/dev/null
  local how
  how=$(sed -n 's/^VERIFY-RESULT: //p' "$ctx.log" | tail -n 1)
  say "  verified $NODE: npm install better-sqlite3@12.11.1 ${how:-?}, opened :memory: ($(elapsed "$t0"))"
}

# --- driver ---------------------------------------------------------------------------------------
ensure() { # name builder
  local name=$1 builder=$2 t0 label size
  t0=$(now)
  if present "$name"; then
    label=$(docker image inspect --format '{{ index .Config.Labels "sso.stand-in" }}' "$name" 2>/dev/null || true)
    say "$name: present ($([ -n "$label" ] && [ "$label" != "<no value>" ] && echo "local stand-in" || echo "not a stand-in")), left alone ($(elapsed "$t0"))"
    return 0
  fi
  say "$name: missing; trying docker pull (timeout ${PULL_TIMEOUT}s) ..."
  if timeout "$PULL_TIMEOUT" docker pull -q "$name" >/dev/null 2>"/tmp/sso-base-images-pull.$$" && present "$name"; then
    rm -f "/tmp/sso-base-images-pull.$$"
    say "$name: pulled from the registry ($(elapsed "$t0"))"
    return 0
  fi
  say "  pull failed: $(tail -n 1 "/tmp/sso-base-images-pull.$$" 2>/dev/null | cut -c1-160)"
  rm -f "/tmp/sso-base-images-pull.$$"
  $builder
  present "$name" || die "$name still missing after building it"
  size=$(docker image inspect --format '{{ .Size }}' "$name" | awk '{ printf "%.0fMB", $1 / 1000 / 1000 }')
  say "$name: built local stand-in, $size ($(elapsed "$t0"))"
  if [ "$name" = "$NODE" ] && [ "$VERIFY_NODE" != 0 ]; then verify_node; fi
}

T0=$(now)
command -v docker >/dev/null || die "no docker CLI; run tools/compose/engine.sh first"
timeout 15 docker info >/dev/null 2>&1 || die "no docker engine answers 'docker info'; run tools/compose/engine.sh first"

ensure "$DEBIAN" build_debian
ensure "$NODE" build_node
ensure "$REDIS" "build_from_dir $REDIS redis"
ensure "$POSTGRES" "build_from_dir $POSTGRES postgres"
say "all four base images present ($(elapsed "$T0") in total)"
