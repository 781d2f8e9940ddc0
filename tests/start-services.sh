#!/bin/sh
# start-services.sh: starts the system D-Bus and avahi-daemon that the discovery tests
# need, each only when it is not running already, so running it twice is harmless. On a
# desktop, where both already run, it does nothing.
#
# Copyright 2026 The Confab developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starting them needs root (CI and containers). An avahi-daemon started here uses only
# the loopback interface: the tests find their own rooms there and no mDNS traffic goes
# out to a network. To find rooms on a real LAN, run the system's avahi-daemon instead
# (systemctl start avahi-daemon).
#
# Exits 0 when both answer on the system bus, 1 (saying why) otherwise.

set -eu

say () {
  echo "start-services: $*" >&2
}

bus_running () {
  dbus-send --system --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.GetId >/dev/null 2>&1
}

avahi_running () {
  dbus-send --system --print-reply --dest=org.freedesktop.DBus \
    /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.Avahi \
    2>/dev/null | grep -q 'boolean true'
}

avahi_gone () {
  ! avahi-daemon --check 2>/dev/null
}

# Waits up to five seconds for "$1" to succeed.
wait_for () {
  tries=50
  while ! "$1"; do
    tries=$((tries - 1))
    if [ "$tries" -le 0 ]; then
      return 1
    fi
    sleep 0.1
  done
}

need () {
  if ! command -v "$1" >/dev/null 2>&1; then
    say "$1 is not installed (Debian package: $2)"
    exit 1
  fi
}

need dbus-send dbus-bin

if bus_running && avahi_running; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  say "the system D-Bus or avahi-daemon is not running, and starting them needs root"
  exit 1
fi

if ! bus_running; then
  need dbus-daemon dbus-daemon
  say "starting the system D-Bus"
  mkdir -p /run/dbus
  # Left over from a bus that is gone: dbus-daemon refuses to start over a pid file.
  rm -f /run/dbus/pid
  dbus-uuidgen --ensure 2>/dev/null || true
  dbus-daemon --system --fork
  if ! wait_for bus_running; then
    say "the system D-Bus did not come up"
    exit 1
  fi
fi

if ! avahi_running; then
  need avahi-daemon avahi-daemon

  # A daemon from before the bus came back is of no use: it is not on the new bus.
  if avahi-daemon --check 2>/dev/null; then
    avahi-daemon --kill 2>/dev/null || true
    if ! wait_for avahi_gone; then
      say "an avahi-daemon that is not on the system bus does not stop"
      exit 1
    fi
  fi

  config=$(mktemp)
  trap 'rm -f "$config"' EXIT
  cat > "$config" <<'EOF'
[server]
use-ipv4=yes
use-ipv6=yes
allow-interfaces=lo
ratelimit-interval-usec=1000000
ratelimit-burst=1000

[wide-area]
enable-wide-area=no

[publish]
publish-hinfo=no
publish-workstation=no
EOF

  say "starting avahi-daemon on the loopback interface"
  # It reads its configuration before it forks, so the file can go when this returns.
  avahi-daemon --daemonize --file="$config"
  if ! wait_for avahi_running; then
    say "avahi-daemon did not come up"
    exit 1
  fi
fi
