#!/usr/bin/env bash
# Installs the Debian packages livestudio needs, only when missing.
#   system-runtime: PortAudio (libportaudio2), libsndfile1
#   system-test:    the above plus jackd2 (without recommends) for real-time tests
set -euo pipefail
want=(libportaudio2 libsndfile1)
if [ "${1:-system-runtime}" = "system-test" ]; then
  want+=(jackd2)
fi
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "livestudio needs these Debian packages: ${missing[*]} (run as root or install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# jackd2 asks about real-time priority in debconf; answer it non-interactively.
echo "jackd2 jackd/tweak_rt_limits boolean false" | debconf-set-selections 2>/dev/null || true
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
