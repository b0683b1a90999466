#!/bin/sh
# Waits until a started stack answers: the API is healthy, a worker is running, and the checkout
# server and the test receiver are up. Gives up after WAIT_SECONDS (default 180).
set -eu
API_URL=${API_URL:-http://localhost:8000}
CHECKOUT_URL=${CHECKOUT_URL:-http://localhost:3001}
RECEIVER_URL=${RECEIVER_URL:-http://localhost:4000}
deadline=$(( $(date +%s) + ${WAIT_SECONDS:-180} ))

ready() {
  curl -fsS -o /dev/null "$API_URL/health" &&
    curl -fsS "$API_URL/api/v1/test/jobs/status" | grep -q '"worker_status":"running"' &&
    curl -fsS -o /dev/null "$CHECKOUT_URL/checkout.js" &&
    curl -fsS -o /dev/null "$RECEIVER_URL/health"
}

until ready 2>/dev/null; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "the stack is not ready: see \`docker compose ps\` and \`docker compose logs\`" >&2
    exit 1
  fi
  sleep 2
done
echo "stack ready: API $API_URL, checkout $CHECKOUT_URL, receiver $RECEIVER_URL"
