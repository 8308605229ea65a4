"""Profile one page in-process (cProfile): where a request's time goes, and how many template
nodes it renders. Point it at a database holding the benchmark data (tests/bench/bench_pages.py
leaves its database in place):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zi_bench_pages SECRET_KEY=x \\
        .venv/bin/python tests/bench/profile_page.py tpi /penilaian/<code>/area/pp/ [--htmx] [-n 20]

Prints per-request counts of {% include %}, variable lookups, {% translate %}, {% url %}, and
the share of time spent rendering templates. A tool, not a benchmark (not run by make bench).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

import django  # noqa: E402

django.setup()

COUNTED = {
    "include renders": ("loader_tags.py", "render", "IncludeNode"),
    "variable lookups": ("base.py", "_resolve_lookup", None),
    "translate tags": ("i18n.py", "render", "TranslateNode"),
    "blocktranslate tags": ("i18n.py", "render", "BlockTranslateNode"),
    "url tags": ("defaulttags.py", "render", "URLNode"),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--htmx", action="store_true")
    parser.add_argument("-n", type=int, default=20)
    args = parser.parse_args()
    from django.template import defaulttags, loader_tags
    from django.templatetags import i18n

    from tests.bench.sessions import signed_in_client

    client = signed_in_client(args.username)
    headers = {"HX-Request": "true"} if args.htmx else {}
    assert client.get(args.path, headers=headers).status_code == 200
    timings = []
    for _run in range(args.n):
        start = time.perf_counter()
        client.get(args.path, headers=headers)
        timings.append((time.perf_counter() - start) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for _run in range(args.n):
        response = client.get(args.path, headers=headers)
    profiler.disable()
    stats = pstats.Stats(profiler)
    classes = {"IncludeNode": loader_tags.IncludeNode.render.__code__,
               "TranslateNode": i18n.TranslateNode.render.__code__,
               "BlockTranslateNode": i18n.BlockTranslateNode.render.__code__,
               "URLNode": defaulttags.URLNode.render.__code__}
    print(f"{args.path} as {args.username}{' (htmx)' if args.htmx else ''}: median {statistics.median(timings):.1f} ms "
          f"in-process, {len(response.content) / 1024:.0f} KB")
    total = stats.total_tt
    template_time = 0.0
    for (filename, _line, name), (_cc, _calls, _tt, cumulative, _callers) in stats.stats.items():
        if filename.endswith("django/template/response.py") or (
                filename.endswith("django/shortcuts.py") and name == "render"):
            template_time = max(template_time, cumulative)
    for label, (suffix, function, cls) in COUNTED.items():
        count = 0
        for (filename, line, name), (_cc, calls, *_rest) in stats.stats.items():
            if not filename.endswith(suffix) or name != function:
                continue
            if cls is None or classes[cls].co_firstlineno == line:
                count += calls
        print(f"  {label}: {count / args.n:.0f} per request")
    print(f"  rendering (shortcuts.render, cumulative): {100 * template_time / total:.0f}% of profiled time")
    rows = int(os.environ.get("PROFILE_ROWS", "18"))
    stats.sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(rows)


if __name__ == "__main__":
    main()
