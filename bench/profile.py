"""Where one page's time goes: cProfile of a few requests through Flask's test client, and
the SQL statements of one request with their time.

    python -m bench.profile /projects?page=1000 --user cz_shen --password Jixiao@2026 \\
        --url postgresql://postgres@127.0.0.1:5432/jixiao_bench_demo
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time

from bench.common import BENCH_SECRET_KEY, csrf_token


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.profile",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", help="the page, e.g. /projects?page=1000")
    parser.add_argument("--url", required=True, help="the database")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--sort", default="cumulative", help="pstats sort key (cumulative, tottime)"
    )
    args = parser.parse_args(argv)

    from sqlalchemy import event

    from web import create_app
    from web.config import Config

    app = create_app(Config(DATABASE_URL=args.url, SECRET_KEY=BENCH_SECRET_KEY))
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    answer = client.post(
        "/login", data={"csrf_token": token, "username": args.user, "password": args.password}
    )
    if answer.status_code != 302:
        print(f"login failed: HTTP {answer.status_code}", file=sys.stderr)
        return 1
    first = client.get(args.path)
    if first.status_code != 200:
        print(f"{args.path}: HTTP {first.status_code}", file=sys.stderr)
        return 1

    # the statements of one request, each with its time
    engine = app.extensions["jixiao"].db.engine
    statements: list[list] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_start"] = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        ms = (time.perf_counter() - conn.info.pop("bench_start")) * 1000
        statements.append([ms, " ".join(statement.split())])

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    start = time.perf_counter()
    client.get(args.path)
    total = (time.perf_counter() - start) * 1000
    event.remove(engine, "before_cursor_execute", before)
    event.remove(engine, "after_cursor_execute", after)
    sql_ms = sum(ms for ms, _ in statements)
    print(
        f"{args.path} as {args.user}: {total:.1f} ms in-process, {len(statements)} SQL "
        f"statements taking {sql_ms:.1f} ms"
    )
    for ms, text in sorted(statements, reverse=True)[:10]:
        print(f"  {ms:8.1f} ms  {text[:160]}")

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    print(f"\ncProfile of {args.requests} requests, top {args.top} by {args.sort}:")
    print(out.getvalue().split("\n", 4)[-1] if out.getvalue() else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
