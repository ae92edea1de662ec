#!/usr/bin/env bash
# The quick-start demo: installs what is missing, builds Release, and runs the
# main jobs on the bundled data in data/:
#   1. validates the Bitrix24 default pipeline and runs a deal scenario on it;
#   2. routes the sample leads of the shipped sales department;
#   3. prints the funnel and the manager scorecard of the bundled sample CRM export;
#   3b. plans the sample's 2024: attainment and pacing on business days by manager,
#      the reverse funnel for a Q4 target, every forecast method for Q3 as of
#      2024-08-20 with each manager's P(plan reached), and the backtest ranking the
#      methods on the sample's own history (docs/planning.md, docs/forecasting.md);
#   3c. pays the sample's 2024-Q3 commission with data/compensation/sample-plan.json:
#      two managers' statements (every line with its reason), the team summary
#      with the cost of sales, the running quarter's draw and a what-if
#      (docs/compensation.md);
#   4. writes the sample as a Salesforce Data Export, imports it back with
#      `dealflow import` and reports on it: funnel by owner as of the period end
#      (field history), close-date pushes, cycle times in four currencies;
#   5. loads a 200,000-deal export on one core and on all, writes a snapshot and
#      reports from it (docs/performance.md, docs/snapshot.md);
#   6. writes build/report.html: the head of sales' report of the bundled data, one
#      self-contained HTML file with SVG charts (docs/report.md), and prints its path.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}
BUILD="$ROOT/build/release"

"$ROOT/scripts/install-deps.sh"

echo "== building (Release) =="
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DDEALFLOW_BUILD_TESTS=OFF \
  -DDEALFLOW_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$BUILD" --parallel "$JOBS" --target dealflow_cli example_pipeline_scenario \
  example_store_service >/dev/null
DEALFLOW="$BUILD/tools/dealflow"

section() { printf '\n==== %s ====\n' "$1"; }

section "Pipeline: dealflow validate data/pipelines/bitrix24_default.json"
"$DEALFLOW" validate data/pipelines/bitrix24_default.json

section "Deal state machine: examples/pipeline_scenario.cpp"
"$BUILD/examples/example_pipeline_scenario" data/pipelines/bitrix24_default.json

section "Lead routing: dealflow route (data/routing)"
"$DEALFLOW" route --team data/routing/team.json --rules data/routing/rules.json \
  --leads data/routing/leads.csv --owners data/routing/owners.csv

section "Embedding: engine + router as one Department in a SQLite store, restarted (examples/store_service.cpp)"
rm -f "$BUILD/demo/crm.dealflow" "$BUILD/demo/crm.dealflow-wal" "$BUILD/demo/crm.dealflow-shm"
mkdir -p "$BUILD/demo"
"$BUILD/examples/example_store_service" "$BUILD/demo/crm.dealflow"

section "Funnel of the sample export (data/sample): deals created in 2024, high-water mark"
"$DEALFLOW" funnel --pipeline data/pipelines/bitrix24_default.json \
  --deals data/sample/deals.csv --history data/sample/history.csv --from 2024-01-01 --to 2025-01-01

section "Manager scorecard of the sample export"
"$DEALFLOW" scorecard --pipeline data/pipelines/bitrix24_default.json \
  --deals data/sample/deals.csv --history data/sample/history.csv \
  --from "${DEMO_FROM:-2024-10-01}" --to "${DEMO_TO:-2025-01-01}"

SAMPLE=(--pipeline data/pipelines/bitrix24_default.json --deals data/sample/deals.csv
        --history data/sample/history.csv --field-changes data/sample/field_changes.csv)

section "Plan vs fact of the sample: Q3 2024 by manager as of 2024-08-20, pacing on the Russian 2024 calendar"
"$DEALFLOW" plan "${SAMPLE[@]}" --plan data/plans/sample-2024.json --team data/plans/sample-team.json \
  --calendar data/calendars/ru-2024.json --as-of 2024-08-20 --period 2024-Q3 --by manager

section "Reverse funnel: what it takes to win 80 000 000 RUB in Q4 2024, measured on Q2"
"$DEALFLOW" plan reverse "${SAMPLE[@]}" --target "80000000 RUB" --period 2024-Q4 --reference 2024-Q2

section "Forecasts of Q3 2024 as of 2024-08-20, every method; Monte Carlo per manager against the plan"
"$DEALFLOW" forecast "${SAMPLE[@]}" --period 2024-Q3 --as-of 2024-08-20 --plan data/plans/sample-2024.json
"$DEALFLOW" forecast "${SAMPLE[@]}" --period 2024-Q3 --as-of 2024-08-20 --method monte-carlo --by manager \
  --plan data/plans/sample-2024.json | awk '/^definition/ {next} {print}'

section "Backtest: which forecast would have been right on this team's 2024 (every Monday, quarterly periods)"
"$DEALFLOW" backtest "${SAMPLE[@]}"

COMP=(--comp data/compensation/sample-plan.json)

section "Commission statements of 2024-Q3 (data/compensation/sample-plan.json): an SMB rep and an enterprise rep"
"$DEALFLOW" commission statement "${COMP[@]}" "${SAMPLE[@]}" --period 2024-Q3 \
  --manager m-ivanova --manager m-sokolova

section "Commission team summary of 2024-Q3: payouts, clawbacks, draws and cost of sales per manager and team"
"$DEALFLOW" commission summary "${COMP[@]}" "${SAMPLE[@]}" --period 2024-Q3

section "Commission of the running quarter (provisional): Козлов's recoverable draw tops his earnings up and carries the balance"
"$DEALFLOW" commission statement "${COMP[@]}" "${SAMPLE[@]}" --period 2024-Q4 --manager m-kozlov

section "What-if: what would 500 000 RUB more pay Иванова this quarter (the same engine)"
"$DEALFLOW" commission what-if "${COMP[@]}" "${SAMPLE[@]}" --manager m-ivanova --extra "500000 RUB"

section "Import a CRM export: the sample written as a Salesforce Data Export, then dealflow import"
DEMO_DIR="$BUILD/demo"
rm -rf "$DEMO_DIR" && mkdir -p "$DEMO_DIR"
"$DEALFLOW" sample --deals 2000 --seed 42 --format salesforce --out "$DEMO_DIR/salesforce"
"$DEALFLOW" import --from salesforce --out "$DEMO_DIR/imported" "$DEMO_DIR"/salesforce/*.csv
IMPORTED=(--pipeline "$DEMO_DIR/imported/pipelines" --deals "$DEMO_DIR/imported/deals.csv"
  --history "$DEMO_DIR/imported/history.csv" --field-changes "$DEMO_DIR/imported/field_changes.csv")

section "Funnel of the imported export by owner (owner as of the report instant)"
"$DEALFLOW" funnel "${IMPORTED[@]}" --from 2024-01-01 --to 2025-01-01 --by manager

section "Close-date pushes (slippage) in Q4 2024 by owner: group and total rows"
# (the table lists every deal, then the groups and the total: keep the header and those)
"$DEALFLOW" pipeline-changes "${IMPORTED[@]}" --from 2024-10-01 --to 2025-01-01 --by manager |
  awk 'NR <= 2 || /^\(/ || /^total/ || /^$/ || /^pipeline / || /^definition/'

section "Pipeline movement in Q4 2024 (a waterfall: deals whose close date is in the quarter)"
"$DEALFLOW" movement "${IMPORTED[@]}" --from 2024-10-01 --to 2025-01-01

section "Durations of deals in four currencies (MXN, COP, USD, PEN), velocity converted to USD at the close date"
"$DEALFLOW" durations --pipeline tests/cli/fixtures/currencies/pipeline.json \
  --deals tests/cli/fixtures/currencies/deals.csv --history tests/cli/fixtures/currencies/history.csv \
  --fx tests/cli/fixtures/currencies/rates.csv --report-currency USD --fx-policy rate-at-close

section "A large export, loaded once: 200,000 deals parsed on all cores, then a snapshot every report opens"
"$DEALFLOW" sample --deals 200000 --seed 7 --out "$DEMO_DIR/large" >/dev/null
LARGE=(--pipeline data/pipelines/bitrix24_default.json --deals "$DEMO_DIR/large/deals.csv"
       --history "$DEMO_DIR/large/history.csv")
time_of() { local start end; start=$(date +%s%N); "$@" >/dev/null; end=$(date +%s%N); echo "$(( (end - start) / 1000000 )) ms"; }
echo "funnel --by manager from the CSV files (--threads 1): $(time_of "$DEALFLOW" funnel "${LARGE[@]}" --by manager --threads 1)"
echo "funnel --by manager from the CSV files (all cores):   $(time_of "$DEALFLOW" funnel "${LARGE[@]}" --by manager)"
"$DEALFLOW" snapshot "${LARGE[@]}" --out "$DEMO_DIR/large/sample.dflog"
echo "funnel --by manager from the snapshot:                $(time_of "$DEALFLOW" funnel --pipeline data/pipelines/bitrix24_default.json --snapshot "$DEMO_DIR/large/sample.dflog" --by manager)"
"$DEALFLOW" funnel --pipeline data/pipelines/bitrix24_default.json --snapshot "$DEMO_DIR/large/sample.dflog" \
  --by manager | sed -n "1,13p; /^by manager:/,+5p"

section "The report a head of sales looks at: one HTML file with SVG charts (docs/report.md)"
REPORT="$ROOT/build/report.html"
"$ROOT/scripts/sample-report.sh" "$DEALFLOW" "$REPORT"
echo "open it in a browser: $REPORT"
