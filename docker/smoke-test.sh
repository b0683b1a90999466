#!/bin/sh
# End-to-end check of a running stack with curl alone: create an order, pay it, wait for the worker
# to decide it, then for the test receiver to have received its signed payment.success webhook.
set -eu
API_URL=${API_URL:-http://localhost:8000}
RECEIVER_URL=${RECEIVER_URL:-http://localhost:4000}
TIMEOUT_SECONDS=${TIMEOUT_SECONDS:-60}

api() {
  curl -fsS -X "$1" "$API_URL$2" \
    -H 'Content-Type: application/json' \
    -H 'X-Api-Key: key_test_abc123' \
    -H 'X-Api-Secret: secret_test_xyz789' \
    ${3:+--data "$3"}
}
# Every created object's answer starts with its id.
id_of() { sed -n 's/^{"id":"\([^"]*\)".*/\1/p'; }

wait_for() {
  description=$1
  shift
  deadline=$(( $(date +%s) + TIMEOUT_SECONDS ))
  until "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "smoke test failed: no $description within ${TIMEOUT_SECONDS}s" >&2
      exit 1
    fi
    sleep 1
  done
}

order=$(api POST /api/v1/orders '{"amount":50000,"currency":"INR","receipt":"smoke-test"}' | id_of)
[ -n "$order" ] || { echo "smoke test failed: order not created" >&2; exit 1; }
payment=$(api POST /api/v1/payments "{\"order_id\":\"$order\",\"method\":\"upi\",\"vpa\":\"smoke@okaxis\"}" | id_of)
[ -n "$payment" ] || { echo "smoke test failed: payment not created" >&2; exit 1; }
echo "created $order and $payment"

payment_succeeded() { api GET "/api/v1/payments/$payment" | grep -q '"status":"success"'; }
wait_for "successful payment $payment" payment_succeeded
echo "payment $payment succeeded"

webhook_received() {
  # The receiver lists each event with its signature check, then the payload it got.
  curl -fsS "$RECEIVER_URL/events" |
    grep -q "\"signature_valid\":true,[^{]*\"payload\":{\"event\":\"payment.success\",\"timestamp\":[0-9]*,\"data\":{\"payment\":{\"id\":\"$payment\""
}
wait_for "payment.success webhook for $payment at $RECEIVER_URL" webhook_received
echo "webhook payment.success for $payment received and verified; smoke test passed"
