#!/usr/bin/env bash
# `make run-cluster`: PostgreSQL + Redis + 2 x (Rasa + action server) behind nginx, all on loopback,
# in a temporary directory. Ctrl-C stops everything. CLUSTER_PORT (default 8080) is the public port;
# CLUSTER_INSTANCES (default 2) the number of Rasa/action-server pairs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
# one TensorFlow thread per op (see bot/launcher.py)
export TF_INTER_OP_PARALLELISM_THREADS="${TF_INTER_OP_PARALLELISM_THREADS:-1}"
export TF_INTRA_OP_PARALLELISM_THREADS="${TF_INTRA_OP_PARALLELISM_THREADS:-1}"
PY="${PY:-.venv/bin/python}"
for bin in redis-server nginx /usr/lib/postgresql/15/bin/postgres; do
  command -v "$bin" >/dev/null || { echo "run_cluster: $bin is missing (make system-deps)" >&2; exit 1; }
done
exec "$PY" -m deploy.cluster "$@"
