"""Fills in the {{KEY}} placeholders of a query file of bench/e2e/queries.

usage: python3 render.py QUERY.sql TARGET.sql KEY=VALUE...
Every placeholder of the file must be given (a forgotten one is an error, not an empty string).
"""
import re
import sys


def main() -> int:
    source, target, *pairs = sys.argv[1:]
    values = dict(pair.split("=", 1) for pair in pairs)
    text = open(source, encoding="utf-8").read()
    missing = sorted(set(re.findall(r"\{\{([A-Z_]+)\}\}", text)) - values.keys())
    if missing:
        print(f"render.py: {source}: no value for {', '.join(missing)}", file=sys.stderr)
        return 2
    text = re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: values[m.group(1)], text)
    with open(target, "w", encoding="utf-8") as out:
        out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
