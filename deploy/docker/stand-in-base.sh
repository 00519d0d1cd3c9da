#!/usr/bin/env bash
# Build a stand-in for the Dockerfile's `FROM python:3.11-slim-bookworm` from Debian's own archive, for machines
# that reach Debian's mirror and PyPI but not Docker Hub (CI here). Users with Docker Hub never need this.
#
# Debian bookworm's Python is 3.11, like the real image's; `python` and `pip` are on the PATH, pip may install
# system-wide (no EXTERNALLY-MANAGED marker), and it trusts this host's CA bundle (PIP_CERT) and index, so
# `pip install` inside `docker build` reaches the same package index the host does.
# The image is labelled with a hash of this script, the bundle and the index: a matching image is kept as it is.
#
#   bash deploy/docker/stand-in-base.sh            # build unless an up-to-date stand-in exists
#   STAND_IN_FORCE=1 bash deploy/docker/stand-in-base.sh
set -euo pipefail

TAG=${STAND_IN_TAG:-python:3.11-slim-bookworm}
SUITE=bookworm
BUNDLE=/etc/ssl/certs/ca-certificates.crt   # kept by Debian's ca-certificates package (with local CAs added)

# Debian's mirror as this host's APT uses it (deb822 .sources or one-line .list files).
mirror() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    awk -v suite="$SUITE" '
      /^URIs:/ { uri = $2 } /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) ok = 1 }
      /^$/ { if (ok && uri) { print uri; exit } ok = 0; uri = "" }
      END { if (ok && uri) print uri }' "$file"
  done
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk -v suite="$SUITE" '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i == suite) { print $(i - 1); exit } }'
  echo http://deb.debian.org/debian
}
MIRROR=$(mirror | grep -v -- '-security' | head -n 1)

# The host's own package index, where it is one a build container can reach (a file:// index on this disk is not).
INDEX=${PIP_INDEX_URL:-$(pip config get global.index-url 2>/dev/null || true)}
case "$INDEX" in http://* | https://*) ;; *) INDEX= ;; esac

label() { docker image inspect -f '{{ with .Config.Labels }}{{ index . "org.convscope.stand-in" }}{{ end }}' "$TAG"; }
# An image of that name without the label is the real one (pulled from Docker Hub): keep it.
if docker image inspect "$TAG" >/dev/null 2>&1 && [ -z "$(label)" ]; then
  echo "$TAG is there already (not a stand-in): kept"
  exit 0
fi
HASH=$( { cat "$0"; cat "$BUNDLE"; echo "$MIRROR $INDEX"; } | sha256sum | cut -c1-16)
if [ -z "${STAND_IN_FORCE:-}" ] &&
  [ "$(label 2>/dev/null)" = "$HASH" ]; then
  echo "stand-in $TAG is up to date ($HASH)"
  exit 0
fi

started=$(date +%s)
root=$(mktemp -d /var/tmp/stand-in.XXXXXX)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"   # it becomes the image's /, which every user must be able to enter (mktemp made it 0700)
echo "stand-in $TAG: debootstrap $SUITE from $MIRROR"
debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,python-is-python3 \
  "$SUITE" "$root" "$MIRROR" >"$root.log" 2>&1 || { tail -n 30 "$root.log"; rm -f "$root.log"; exit 1; }
rm -f "$root.log"
rm -f "$root"/usr/lib/python3*/EXTERNALLY-MANAGED
[ -e "$root/usr/bin/pip" ] || ln -s pip3 "$root/usr/bin/pip"
mkdir -p "$root/etc/ssl/certs"
cp "$BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"
# Small as the slim image: no APT lists or caches, no manuals, docs or locales.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/* \
  "$root"/var/log/*.log "$root"/var/cache/debconf/*-old

changes=(--change "LABEL org.convscope.stand-in=$HASH"
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8"
  --change "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt"
  --change 'CMD ["python3"]')
[ -z "$INDEX" ] || changes+=(--change "ENV PIP_INDEX_URL=$INDEX")
tar -C "$root" -c . | docker import "${changes[@]}" - "$TAG" >/dev/null
echo "stand-in $TAG built in $(($(date +%s) - started)) s ($HASH)"
