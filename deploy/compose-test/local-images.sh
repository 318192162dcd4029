#!/usr/bin/env bash
# Builds the local base images the compose test uses in place of node, redis and rabbitmq from
# Docker Hub (nothing can be pulled on the CI machine): Debian bookworm from debootstrap, then
# Node (this machine's node and npm), Redis and RabbitMQ from Debian's packages. Each is kept by
# name across runs and rebuilt only when its recipe (the Dockerfile here) changes.
# Usage: local-images.sh DOCKER-CLIENT   (prints progress on stderr)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
docker="${1:-docker}"

DEBIAN_IMAGE=cprh-local/debian:bookworm
recipe_label() { cat "$@" | sha256sum | cut -c1-16; }
has_recipe() { # NAME RECIPE: the image exists and was built from this recipe
  [ "$($docker image inspect -f '{{index .Config.Labels "cprh.recipe"}}' "$1" 2>/dev/null)" = "$2" ]
}

# The Debian mirror this machine's apt uses (first URI of its sources), for debootstrap.
debian_mirror() {
  local uri
  uri=$(grep -h -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    grep -v -E 'security|updates' | grep -o -E 'https?://[^ ]+' | grep -i debian | head -1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

base_recipe=$(echo "minbase bookworm ca-certificates" | sha256sum | cut -c1-16)
if ! has_recipe "$DEBIAN_IMAGE" "$base_recipe"; then
  echo "local images: making $DEBIAN_IMAGE with debootstrap" >&2
  command -v debootstrap >/dev/null || { echo "debootstrap is missing" >&2; exit 1; }
  rootfs=$(mktemp -d /tmp/cprh-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$(debian_mirror)" >&2
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | $docker import --change "LABEL cprh.recipe=$base_recipe" - "$DEBIAN_IMAGE" >/dev/null
  rm -rf "$rootfs"
  trap - EXIT
fi

build_local() { # NAME DOCKERFILE (built with an empty context)
  local name=$1 file=$2 recipe context rc=0
  recipe=$(recipe_label "$file" <(echo "$base_recipe"))
  has_recipe "$name" "$recipe" && return 0
  echo "local images: building $name" >&2
  context=$(mktemp -d /tmp/cprh-empty-ctx.XXXXXX)
  DOCKER_BUILDKIT=1 $docker build --network host -q -f "$file" --label "cprh.recipe=$recipe" \
    --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t "$name" "$context" >/dev/null || rc=$?
  rm -rf "$context"
  return $rc
}

# Node: the build stage needs npm (for pnpm); the product's final stage copies node alone.
node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
node_version=$("$node_bin" --version)
node_recipe_file=$(mktemp /tmp/cprh-node-recipe.XXXXXX)
{ cat "$here/node.Dockerfile"; echo "$node_version"; } >"$node_recipe_file"
node_recipe=$(recipe_label "$node_recipe_file" <(echo "$base_recipe"))
rm -f "$node_recipe_file"
if ! has_recipe cprh-local/node:20 "$node_recipe"; then
  echo "local images: building cprh-local/node:20 (node $node_version from this machine)" >&2
  ctx=$(mktemp -d /tmp/cprh-node-ctx.XXXXXX)
  cp "$node_bin" "$ctx/node"
  cp -r "$npm_dir" "$ctx/npm"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-bundle.crt"
  DOCKER_BUILDKIT=1 $docker build --network host -q -f "$here/node.Dockerfile" --label "cprh.recipe=$node_recipe" \
    --build-arg "DEBIAN_IMAGE=$DEBIAN_IMAGE" -t cprh-local/node:20 "$ctx" >/dev/null || {
    rm -rf "$ctx"
    exit 1
  }
  rm -rf "$ctx"
fi
build_local cprh-local/redis:7 "$here/redis.Dockerfile"
build_local cprh-local/rabbitmq:3 "$here/rabbitmq.Dockerfile"
