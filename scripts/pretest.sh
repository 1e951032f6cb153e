#!/usr/bin/env bash
# npm's `pretest`: everything `npm test` needs that this machine may lack, so that the README's
# second command works alone on a fresh machine. Idempotent and quick when all is there.
#   - PostgreSQL on 127.0.0.1:5432 (or DATABASE_URL): started with pg_ctlcluster when it is down.
#   - Debian's Chromium and CJK fonts for the browser tests, nginx for the proxy test and openssl for
#     the HTTPS verifier test: installed with apt-get when missing
#     and running as root; otherwise one line with the exact command, and a failing exit code.
# Nothing here downloads a browser or a binary of its own: only Debian's packages.
set -uo pipefail

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}

# The Debian packages still missing.
missing() {
  packages=()
  [ -x "$chromium" ] || packages+=(chromium)
  fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || packages+=(fonts-noto-cjk)
  # nginx: src/server/proxy.test.ts runs deploy/nginx.conf in front of a registry.
  [ -x /usr/sbin/nginx ] || packages+=(nginx)
  # openssl: self-signed certificates for the proxy test and for a log served over HTTPS
  # (src/verify/http.test.ts).
  command -v openssl >/dev/null || packages+=(openssl)
}

missing
if [ ${#packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    # Two `npm test` runs started together on a fresh machine (two clones, one loading the
    # machine for the other) take turns: the second waits for the first's installation, then
    # finds nothing missing. apt-get itself waits for a dpkg lock another program holds.
    exec 9>/tmp/tuidang-pretest.lock
    flock -w 1800 9 || { echo "pretest: another pretest held /tmp/tuidang-pretest.lock for 30 minutes" >&2; exit 1; }
    missing
    if [ ${#packages[@]} -gt 0 ]; then
      echo "pretest: installing Debian's ${packages[*]} for the browser, proxy and HTTPS tests"
      export DEBIAN_FRONTEND=noninteractive
      lock=(-o DPkg::Lock::Timeout=600)
      if ! { apt-get "${lock[@]}" update -qq && apt-get "${lock[@]}" install -y -qq "${packages[@]}" >/dev/null; }; then
        echo "pretest: apt-get could not install ${packages[*]}" >&2
        exit 1
      fi
    fi
    exec 9>&-
  else
    echo "pretest: the browser, proxy and HTTPS tests need Debian's ${packages[*]}: run  sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
fi

# PostgreSQL: the store, API and cluster tests talk to a real server.
if [ -z "${DATABASE_URL:-}" ] && command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "pretest: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
if [ -z "${DATABASE_URL:-}" ] && ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "pretest: PostgreSQL is not answering on 127.0.0.1:5432: start it (pg_ctlcluster $(ls /etc/postgresql 2>/dev/null | head -n 1) main start) or set DATABASE_URL" >&2
  exit 1
fi
exit 0
