#!/usr/bin/env bash
# Writes the report of the bundled data (data/): the head of sales' view on 2024-08-20, in the
# middle of Q3 2024: the funnel, cohorts and durations of the deals created since 2024-01-01,
# the pipeline's movement and the scorecard of Q3 to date, plan and forecast of Q3 (Russian
# 2024 calendar), and the routing of data/routing/. scripts/demo.sh and the tests use it.
#
#   scripts/sample-report.sh DEALFLOW OUT.html [more dealflow report options, e.g. --save-json DIR]
set -euo pipefail
if [[ $# -lt 2 ]]; then
  sed -n '2,7p' "$0" >&2
  exit 2
fi
DEALFLOW=$1
OUT=$2
shift 2
cd "$(dirname "$0")/.."
"$DEALFLOW" report --out "$OUT" --title "Sales report: the bundled sample (Общая воронка)" \
  --pipeline data/pipelines/bitrix24_default.json --deals data/sample/deals.csv \
  --history data/sample/history.csv --field-changes data/sample/field_changes.csv \
  --from 2024-01-01 --as-of 2024-08-20 --period 2024-Q3 \
  --plan data/plans/sample-2024.json --team data/plans/sample-team.json --calendar data/calendars/ru-2024.json \
  --routing-team data/routing/team.json --rules data/routing/rules.json --leads data/routing/leads.csv "$@"
