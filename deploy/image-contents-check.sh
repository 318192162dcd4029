#!/bin/sh
# Fails (exit 1, naming what it found) when the production image holds a compiler, a test tool or a
# package manager: the final stage must carry the bundles and node only. Run by the Dockerfile's
# last build step and by deploy/compose-test.sh against the built image.
found=$(find / -xdev \( -path /proc -o -path /sys \) -prune -o \
  \( -type d \( -name typescript -o -name tsx -o -name jest -o -name esbuild -o -name '@swc' -o -name pnpm -o -name npm -o -name corepack -o -name .pnpm-store \) -print \) \
  -o \( \( -type f -o -type l \) \( -name tsc -o -name tsx -o -name jest -o -name npm -o -name npx -o -name pnpm -o -name yarn -o -name corepack \) -print \) 2>/dev/null)
if [ -n "$found" ]; then
  echo "image holds build or test tools:"
  echo "$found"
  exit 1
fi
echo "image holds no TypeScript, tsx, jest, esbuild, swc or package manager"
