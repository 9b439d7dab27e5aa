#!/usr/bin/env bash
# The project's test command: installs what the tests need (when root), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec mvn -B verify "$@"
