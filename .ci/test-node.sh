#!/usr/bin/env bash
# Usage: bash .ci/test-node.sh MAJOR [mocha options]   (npm run test:node -- 24 --grep listener)
# Runs the spec suite under the newest Node MAJOR, fetched by node.sh. Mocha adds spec files named on
# its command line to the .mocharc.yml list instead of replacing it: narrow a run with --grep.
# Everything that starts `node` (mocha, the specs' child processes, npm and npx) finds that binary
# first on PATH. Build, type-check and lint give the same result on every line: `npm test` runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
node_bin=$(bash .ci/node.sh "${1:-}")
shift
export PATH="$(dirname "$node_bin"):$PATH"
echo "node $(node --version) ($node_bin)" >&2
exec node_modules/.bin/mocha "$@"
