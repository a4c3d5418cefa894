#!/usr/bin/env bash
# Replays the recorded Odoo exchanges (../shared/odoo-contract) against the simulator playing Odoo
# 16, 17, 18 and 19, each on a free port, and fails if any version answers differently in shape.
# The checker can be pointed elsewhere with ODOO_CONTRACT_CHECK (relative to the repository root).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
check="${ODOO_CONTRACT_CHECK:-../shared/tools/odoo-contract-check}"
node=node_modules/.bin/node

if [[ ! -f "$check" ]]; then
  echo "odoo-contract-check not found at $check (set ODOO_CONTRACT_CHECK)" >&2
  exit 2
fi

field() { "$node" -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "$1" "$2"; }

failed=()
for version in 16 17 18 19; do
  # the database names of the recorded servers, so the replayed requests need no rewriting
  db=$([[ $version == 18 ]] && echo shop || echo "shop$version")
  coproc SIMULATOR { exec "$node" test/odoo-simulator/cli.ts --version "$version" --port 0 --orders 300 --db "$db"; }
  simulator_pid=$SIMULATOR_PID
  trap 'kill "$simulator_pid" 2>/dev/null || true' EXIT
  read -r started <&"${SIMULATOR[0]}"
  echo "Odoo $version simulator at $(field "$started" url)"
  if ! python3 "$check" "$(field "$started" url)" --version "$version" --db "$db" \
      --login "$(field "$started" login)" --key "$(field "$started" apiKey)" --password "$(field "$started" password)"; then
    failed+=("$version")
  fi
  kill "$simulator_pid"
  wait "$simulator_pid" 2>/dev/null || true
done

if (( ${#failed[@]} )); then
  echo "the simulator differs from the recorded Odoo ${failed[*]}" >&2
  exit 1
fi
echo "the simulator matches the recorded Odoo 16, 17, 18 and 19"
