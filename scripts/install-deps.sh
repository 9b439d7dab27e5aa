#!/usr/bin/env bash
# Installs the Debian packages Dominoes' tests and tools need. Idempotent; does nothing for packages
# already present. As non-root it only reports what is missing (root-only tests then skip).
#   libpcap0.8     pcap4j's native capture library (pcap read/write in tcp-stack)
#   tshark         ground truth for TCP reassembly tests and pcap checks
#   libfuse2 fuse  jnr-fuse mounts (fs-metadata)
#   iproute2 iputils-ping  network namespaces, TAP interop tests, ping against the stack
set -euo pipefail
PACKAGES=(libpcap0.8 tshark libfuse2 fuse iproute2 iputils-ping procps)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: not root, cannot install: ${missing[*]} (tests that need them will skip)" >&2
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
