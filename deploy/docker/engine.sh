#!/usr/bin/env bash
# Make sure a Docker Engine answers: install Debian's docker.io, docker-compose and debootstrap where missing, and
# start dockerd (vfs storage: works on any file system, no kernel overlay needed) where none is running. For CI and
# developers' machines without systemd; on a server with Docker installed the normal way this does nothing.
set -euo pipefail
LOG=${DOCKERD_LOG:-/var/log/dockerd.log}

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "engine: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if docker info >/dev/null 2>&1; then
  exit 0
fi
echo "engine: starting dockerd --storage-driver=vfs (log: $LOG)"
nohup dockerd --storage-driver=vfs >>"$LOG" 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "engine: dockerd did not answer within 60 s; the end of $LOG:" >&2
tail -n 20 "$LOG" >&2
exit 1
