#!/usr/bin/env python3
"""Prices a study's stage graph on N workers; prints bench/cluster.sh's markdown report.

The overhead per stage is measured from the cluster run's driver log ("done on W · stage S s, task T s on the
worker, D s since submitted"): T - S is the worker's own (rebuilding the study's graph, starting the engine in a
fresh executor), D - T is Spark's dispatch plus any wait for a free slot, so its minimum over the tasks is the
dispatch alone. A study is priced by list scheduling: every stage
starts as soon as its inputs are done and a worker is free, taking its recorded time (done.json) plus the
median overhead; one worker runs in-process, without overhead.
"""
import argparse
import json
import re
import statistics
from pathlib import Path

DONE = re.compile(r"\[(\w+)\] (\S+) done on .*? · stage ([\d.]+) s, task ([\d.]+) s on the worker, ([\d.]+) s since")
CONNECTED = re.compile(r"connected in ([\d.]+) s")


def load_graph(study):
    graph = json.loads((study / "stages" / "graph.json").read_text())["stages"]
    for stage in graph:
        stage["seconds"] = json.loads((study / stage["dir"] / "done.json").read_text())["seconds"]
    return graph


def schedule(graph, workers, overhead):
    """Greedy list scheduling in graph order (each stage after its inputs); returns the makespan."""
    finish = {}
    free = [0.0] * workers
    for stage in graph:
        ready = max((finish[h] for h in stage["inputs"]), default=0.0)
        w = min(range(workers), key=lambda i: max(free[i], ready))
        start = max(free[w], ready)
        finish[stage["hash"]] = start + stage["seconds"] + overhead
        free[w] = finish[stage["hash"]]
    return max(finish.values())


def critical_path(graph, overhead):
    longest = {}
    for stage in graph:
        longest[stage["hash"]] = stage["seconds"] + overhead + max((longest[h] for h in stage["inputs"]), default=0)
    return max(longest.values())


def minutes(s):
    return f"{s / 60:.1f} min" if s >= 60 else f"{s:.1f} s"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--local", type=Path, required=True)
    p.add_argument("--local-seconds", type=float, required=True)
    p.add_argument("--cluster", type=Path, required=True)
    p.add_argument("--cluster-seconds", type=float, required=True)
    p.add_argument("--cluster-log", type=Path, required=True)
    p.add_argument("--study", type=Path)
    a = p.parse_args()

    log = a.cluster_log.read_text()
    tasks = [(m[0], m[1], float(m[2]), float(m[3]), float(m[4])) for m in DONE.findall(log)]
    if not tasks:
        raise SystemExit(f"no finished cluster stage in {a.cluster_log}")
    on_worker = [t - s for _, _, s, t, _ in tasks]
    dispatch = min(d - t for _, _, _, t, d in tasks)
    overhead = statistics.median(on_worker) + dispatch
    connected = CONNECTED.search(log)
    genotypes = lambda d: [r["genotype"] for r in json.loads((d / "results.json").read_text())["runs"]]

    print("\n## The tiny experiment (bench/cluster-tiny.yaml), in-process and on the cluster\n")
    print("| run | wall | stages |")
    print("|---|---|---|")
    print(f"| in-process | {minutes(a.local_seconds)} | {len(load_graph(a.local))} |")
    print(f"| --cluster | {minutes(a.cluster_seconds)} | {len(tasks)} run as tasks |")
    print(f"\nConnecting (master check, executors joining, shared-directory probe): "
          f"{connected[1] if connected else '?'} s. Per stage on the worker, beyond the stage itself: median "
          f"{statistics.median(on_worker):.1f} s, range {min(on_worker):.1f}-{max(on_worker):.1f} s (the first "
          f"task of an executor also starts libtorch); Spark's dispatch: {dispatch:.1f} s at least. "
          f"Same genotypes as in-process: {genotypes(a.local) == genotypes(a.cluster)}.\n")
    print("| stage | stage s | task s on the worker | s since submitted |")
    print("|---|---|---|---|")
    for kind, label, s, t, d in tasks:
        print(f"| {kind} {label} | {s:.1f} | {t:.1f} | {d:.1f} |")

    if a.study:
        graph = load_graph(a.study)
        total = sum(s["seconds"] for s in graph)
        print(f"\n## Predicted: {a.study.name} ({len(graph)} stages, {minutes(total)} of stage time)\n")
        print(f"Each stage at its recorded time plus {overhead:.1f} s on a cluster; list scheduling in graph order.\n")
        print("| workers | predicted wall | speed-up | bound: critical path | bound: work / workers |")
        print("|---|---|---|---|---|")
        one = schedule(graph, 1, 0.0)
        for w in (1, 4, 16, 64):
            o = 0.0 if w == 1 else overhead
            wall = schedule(graph, w, o)
            print(f"| {w} | {minutes(wall)} | {one / wall:.1f}x | {minutes(critical_path(graph, o))} "
                  f"| {minutes((total + o * len(graph)) / w)} |")


if __name__ == "__main__":
    main()
