-- Process start only: the fixed cost inside every SQLite time of bench/e2e/run.sh.
SELECT 1;
