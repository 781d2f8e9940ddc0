#!/bin/sh
# debian.sh: set up a Debian 12 machine for Confab, build it, and run it or its tests.
#
#   build-aux/debian.sh run [confab options]   install what is missing, build, run Confab
#   build-aux/debian.sh test                   install what is missing, build, pass every test
#
# Copyright 2026 The Confab developers
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
builddir=${CONFAB_BUILDDIR:-$top/build}

# What building and running need: the toolchain and Debian 12's -dev packages.
build_packages="gcc meson ninja-build pkg-config gettext libglib2.0-dev libglib2.0-dev-bin
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev
  libavahi-client-dev libavahi-glib-dev desktop-file-utils appstream"

# What the tests need on top: an X server for the windows, D-Bus and Avahi for discovery,
# the seed's FastAPI server, Chromium and Node for the web client, the Flatpak tooling to
# check the manifest.
test_packages="xvfb xauth dbus dbus-bin dbus-daemon avahi-daemon avahi-utils
  python3-fastapi python3-uvicorn python3-websockets chromium nodejs
  flatpak-builder fonts-cantarell adwaita-icon-theme librsvg2-common shared-mime-info"

as_root () {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

install_missing () {
  missing=""
  for pkg in "$@"; do
    if ! dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q "ok installed"; then
      missing="$missing $pkg"
    fi
  done
  if [ -n "$missing" ]; then
    echo "Installing:$missing"
    as_root apt-get update -q
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
  fi
  # Debian's nodejs may come without npm (a NodeSource build carries its own).
  if command -v node >/dev/null && ! command -v npm >/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm
  fi
}

build () {
  if [ ! -f "$builddir/build.ninja" ]; then
    meson setup "$builddir" --buildtype=debugoptimized
  fi
  ninja -C "$builddir"
}

case "${1:-}" in
  run)
    shift
    # shellcheck disable=SC2086
    install_missing $build_packages
    build
    # Uninstalled: the settings schema is compiled into the build directory.
    GSETTINGS_SCHEMA_DIR="$builddir/data" exec "$builddir/src/confab" "$@"
    ;;

  test)
    # shellcheck disable=SC2086
    install_missing $build_packages $test_packages
    (cd tests/web && npm ci --no-audit --no-fund)
    if [ -f bench/package-lock.json ]; then
      (cd bench && npm ci --no-audit --no-fund --omit=optional --ignore-scripts)
    fi
    as_root sh tests/start-services.sh
    build
    status=0
    meson test -C "$builddir" --print-errorlogs --num-processes 1 || status=$?
    # One plain closing line for whoever reads the log: counted from meson's own summary.
    log="$builddir/meson-logs/testlog.json"
    if [ -f "$log" ]; then
      passed=$(grep -c '"result": "OK"' "$log" || true)
      failed=$(grep -c -E '"result": "(FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS)"' "$log" || true)
      skipped=$(grep -c '"result": "SKIP"' "$log" || true)
      echo "$passed passed, $failed failed, $skipped skipped"
    fi
    exit $status
    ;;

  *)
    echo "usage: $0 run [confab options] | test" >&2
    exit 2
    ;;
esac
