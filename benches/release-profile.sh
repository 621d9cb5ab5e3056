#!/bin/bash
# Release profile measurement (issue 13): for each profile, a clean release build in its own
# target folder (CPU time, binary size), then three clean builds of a 10,000-incident site
# (/tmp/site-10000, from ../shared/bench/gen_sites.py). Run from the repository root; takes
# about 25 minutes on 2 cores. Results and the choice: docs/decisions.md.
set -u
mkdir -p /tmp/relprof
for cfg in "default::" "cgu1:CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1:" "thin:CARGO_PROFILE_RELEASE_LTO=thin:" "fat-cgu1:CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1:"; do
  name=${cfg%%:*}; rest=${cfg#*:}; envs=${rest%%:*}
  rm -rf /tmp/relprof/target
  echo "== $name ($envs)"
  /usr/bin/time -f "build: %e s wall, %U s user, %S s sys" env $envs CARGO_TARGET_DIR=/tmp/relprof/target cargo build --release --quiet 2>&1 | tail -2
  ls -l /tmp/relprof/target/release/candor | awk '{print "size:", $5}'
  for k in 1 2 3; do
    rm -rf /dev/shm/relprof-out
    /usr/bin/time -f "10k build: %e s wall, %U s user" /tmp/relprof/target/release/candor build --root /tmp/site-10000 --now 2025-12-01T00:00:00Z --output /dev/shm/relprof-out 2>&1 | grep "10k build"
  done
done
rm -rf /tmp/relprof/target /dev/shm/relprof-out
