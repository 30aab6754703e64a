#!/usr/bin/env bash
# Installs and starts what the test suites need on a fresh Debian machine with Node and npm.
# Idempotent and quick when everything is already there. Needs root for apt-get (CI runs as root).
set -euo pipefail

DEBIAN_PACKAGES=(
  openssh-server          # real sshd hosts for the playbook runner and the end-to-end tests
  openssh-client          # ssh-keygen for sshd fixtures; ssh for the compat snapshots
  ansible-core            # the reference the playbook runner is compared against
  ansible                 # its collections: operations our runner cannot run (community.general ...)
  bubblewrap              # the confinement of those ansible-playbook runs
  python3-openstackclient # the real `openstack` CLI, run against our simulator
  docker-compose          # `docker-compose config` checks docker-compose.yml
  chromium                # the dashboard's browser tests (playwright-core drives /usr/bin/chromium)
  postgresql redis-server # real PostgreSQL and Redis for persistence and queue tests
  sudo rsync iproute2 procps
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "test-prereqs: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PostgreSQL on 127.0.0.1:5432 with trust auth for local connections.
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "test-prereqs: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
fi

# Redis on 127.0.0.1:6379, nothing kept on disk.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "test-prereqs: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
