"""The cross-check and the table of bench/e2e/run.sh.

usage: python3 report.py RESULTS.tsv THREADS INPUT_BYTES
RESULTS.tsv: job, tool, threads, seconds ('failed'), peak RSS in KB, output CSV (one row per run).
Prints MATCH / MISMATCH per comparison and a markdown table; exits 1 on a funnel or forecast
MISMATCH.
"""
import csv
import sys
from decimal import Decimal

JOBS = [
    ("funnel_manager", "funnel --by manager"),
    ("funnel_client", "funnel --by client"),
    ("funnel", "funnel, no grouping"),
    ("durations", "durations"),
    ("scorecard", "scorecard"),
    ("forecast_weighted", "forecast weighted --by manager"),
    ("backtest", "backtest (dealflow only: no SQL equivalent)"),
    ("commission", "commission summary (marginal tiers)"),
]
FATAL = ("funnel", "forecast_weighted", "commission")  # jobs whose MISMATCH fails the run


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def funnel_figures(path, grouped):
    """(group, stage), (reached, deals, won, lost); dealflow's totals rows have group ''."""
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f)  # not DictReader: --by client is millions of rows
        head = next(rows)
        g, s, *figures = (head.index(k) for k in ("group", "stage", "reached", "deals", "won", "lost"))
        for r in rows:
            if grouped != (r[g] == ""):  # grouped: the groups only; ungrouped: the totals only
                yield (r[g], r[s]), tuple(int(r[i]) for i in figures)


def scorecard_figures(path):
    """(manager, period), (taken, won, lost, open, won amount)."""
    for r in read_rows(path):
        if r.get("row", "manager") == "manager" and r.get("split", "all") == "all":
            yield (r["manager"], r["period"]), (int(r["taken"]), int(r["won"]), int(r["lost"]),
                                                int(r["open"]), Decimal(r["won_amount"] or "0"))


def forecast_figures(path):
    """(scope, currency), (fact, fact deals, expected, open deals): dealflow's weighted rows."""
    for r in read_rows(path):
        if r.get("method", "weighted") == "weighted":
            yield (r["scope"], r["currency"]), (Decimal(r["fact"] or "0"), int(r["fact_deals"]),
                                                Decimal(r["expected"] or "0"), int(r["open_deals"]))


def commission_figures(path):
    """participant, (won amount, paid): dealflow's participant rows of the summary, or the SQL rows."""
    for r in read_rows(path):
        if r.get("participant"):
            yield r["participant"], (Decimal(r["won_amount"] or "0"), Decimal(r["paid"] or "0"))


def durations_figures(path):
    for r in read_rows(path):
        yield r["stage"], tuple(float(r[k]) if r[k] else None for k in list(r)[1:])


def fingerprint(items):
    """(rows, order-independent sum of the rows' hashes): compares millions of rows in O(1) memory."""
    n, total = 0, 0
    for item in items:
        n += 1
        total = (total + hash(item)) & 0xFFFFFFFFFFFFFFFF
    return n, total


def describe_difference(a, b):
    keys = sorted(set(a) | set(b), key=str)
    diff = [k for k in keys if a.get(k) != b.get(k)]
    if not diff:
        return f"the same {len(keys)} rows, but some repeated"
    k = diff[0]
    return f"{len(diff)} of {len(keys)} rows differ, first {k}: {a.get(k)} vs {b.get(k)}"


def cross_check(runs):
    """Compares each tool's output with a reference; returns False on a funnel or forecast mismatch."""
    ok = True
    by_job = {}
    for r in runs:
        if r["seconds"] != "failed" and r["out"]:
            by_job.setdefault(r["job"], []).append(r)
    print("\ncross-check:")
    for job, rows in sorted(by_job.items()):
        base = job.split("@")[0]
        if base.startswith("funnel"):
            extract = lambda p, grouped=base != "funnel": funnel_figures(p, grouped)  # noqa: E731
            what = "reached, deals, won, lost per " + ("group and stage" if base != "funnel" else "stage")
        elif base == "scorecard":
            extract, what = scorecard_figures, "taken, won, lost, open, won amount per manager and period"
        elif base == "forecast_weighted":
            extract, what = forecast_figures, "fact, fact deals, expected, open deals per manager and currency"
        elif base == "commission":
            extract, what = commission_figures, "won amount and paid per participant"
        elif base == "backtest":  # dealflow only
            continue
        else:  # durations: the SQL tools against each other (dealflow's estimates are another job)
            extract, what = durations_figures, "visits, completed, in stage now, mean, median per stage"
            rows = [r for r in rows if r["tool"] != "dealflow"]
        if base.startswith("funnel") and job != base:  # snapshot runs: against the CSV runs
            rows = by_job.get(base, [])[:1] + rows
        if len(rows) < 2:
            continue
        ref = rows[0]
        ref_print = fingerprint(extract(ref["out"]))
        for other in rows[1:]:
            source = " (CSV)" if ref["job"] != job else ""  # a snapshot run against the CSV run
            label = f"{job:<22} {ref['tool']} {ref['threads']}{source} vs {other['tool']} {other['threads']}"
            if fingerprint(extract(other["out"])) == ref_print and ref_print[0] > 0:
                print(f"  {label}: MATCH ({ref_print[0]} rows of {what})")
            else:  # the details (a dict of each side) only now
                a, b = dict(extract(ref["out"])), dict(extract(other["out"]))
                print(f"  {label}: MISMATCH: {describe_difference(a, b) if a or b else 'no rows'}")
                if base.startswith(FATAL):
                    ok = False
    return ok


def main() -> int:
    results, threads, input_bytes = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
    runs = []
    with open(results, encoding="utf-8") as f:
        for line in f:
            job, tool, thr, seconds, kb, out = line.rstrip("\n").split("\t")
            runs.append({"job": job, "tool": tool, "threads": thr, "seconds": seconds, "kb": kb, "out": out})
    ok = cross_check(runs)

    def find(job, tool, thr):
        for r in runs:
            if r["job"] == job and r["tool"] == tool and r["threads"] in (thr, "any"):
                return r
        return None

    def cell(r):
        if r is None:
            return "-"
        if r["seconds"] == "failed":
            return "failed"
        note = " (no --threads)" if r["threads"] == "any" and r["tool"] == "dealflow" else ""
        return f"{float(r['seconds']):.2f} s, {int(r['kb']) // 1024} MB{note}"

    def ratio(a, b):
        if not a or not b or "failed" in (a["seconds"], b["seconds"]) or float(b["seconds"]) == 0:
            return "-"
        return f"{float(a['seconds']) / float(b['seconds']):.2f}"

    head = ["job"] + [f"dealflow {t} thr" for t in threads] + [f"DuckDB {t} thr" for t in threads]
    head += ["SQLite"] + [f"DuckDB {t} / dealflow {t}" for t in threads] + [f"SQLite / dealflow {threads[0]}"]
    print(f"\ninput: {input_bytes / 1e6:.0f} MB (deals.csv + history.csv); each cell: wall time, peak RSS;")
    print("ratios > 1: dealflow is faster\n")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    jobs = JOBS + [(j + "@snapshot", n + " (snapshot)") for j, n in JOBS if find(j + "@snapshot", "dealflow", threads[0])]
    if find("startup", "duckdb", threads[0]) or find("startup", "sqlite", "1"):
        jobs.append(("startup", "process start only (SELECT 1)"))
    if find("snapshot_make", "dealflow", "any"):
        jobs.append(("snapshot_make", "make the snapshot (once)"))
    for job, name in jobs:
        if not any(r["job"] == job for r in runs):  # not run (--jobs)
            continue
        dealflow = [find(job, "dealflow", t) for t in threads]
        duck = [find(job, "duckdb", t) for t in threads]
        lite = find(job, "sqlite", "1")
        if "@" in job or job == "snapshot_make":  # dealflow only
            duck, lite = [None] * len(threads), None
        if job == "startup":  # the SQL tools' fixed cost, once
            dealflow = [None] * len(threads)
            duck = [find(job, "duckdb", threads[0])] + [None] * (len(threads) - 1)
        cells = [name] + [cell(r) for r in dealflow] + [cell(r) for r in duck] + [cell(lite)]
        cells += [ratio(d, f) for d, f in zip(duck, dealflow)] + [ratio(lite, dealflow[0])]
        print("| " + " | ".join(cells) + " |")
    manager = find("funnel_manager", "dealflow", threads[0])
    if manager and manager["seconds"] != "failed" and input_bytes:
        print(f"\ndealflow funnel --by manager ({threads[0]} thr): peak RSS / input size = "
              f"{int(manager['kb']) * 1024 / input_bytes:.2f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
