"""Medians, ratios, the Markdown tables and the ratio chart of a benchmark run."""

import math
import statistics

from benchmarks.worker import CONTENDERS, SCENARIOS

METRICS = ("ops_per_s", "p50_us", "p99_us", "cpu_us_per_op", "rss_mib")
#: Figures only some scenarios report (``near_cache_get``): medians over the rounds that have them.
EXTRAS = ("hit_ratio", "cpu_cores", "clients", "threads_per_client", "in_flight_per_thread", "member_cpu_us_per_op")
HZGREEN = ("hzgreen-threading", "hzgreen-gevent")
OFFICIAL = "official"
#: The official client's contenders: threads and asyncio (the best of them is the baseline).
OFFICIALS = (OFFICIAL, "official-asyncio")

#: Throughput targets, hzgreen (best handler) / the best official contender in the same run:
#: at least 1.5x everywhere an official contender runs, 2x where an earlier target was higher.
TARGETS = {
    "seq_put": 1.5,
    "seq_get": 1.5,
    "pipelined_put": 2.0,
    "mixed_threads": 1.5,
    "mixed_greenlets": 2.0,
    "big_values": 1.5,
    "cp_lock": 1.5,
    "cp_atomic": 1.5,
    "connect": 1.5,
    "topic_publish": 1.5,
    "ringbuffer_read_many": 1.5,
    "near_cache_get": 1.5,
    "mixed_3_members": 1.5,
    "cp_atomic_3_members": 1.5,
    "fleet_1": 1.5,
    "fleet_2": 1.5,
    "fleet_4": 1.5,
}
#: The many-caller scenarios against the one member, compared with its ceiling.
CEILING_SCENARIOS = ("mixed_threads", "mixed_greenlets")
#: The Java run whose CPU per operation prices the fleets: the same workload on the same members.
FLEET_JAVA_SCENARIO = "mixed_3_members"
#: Client CPU per op, hzgreen / the official contender using the least: at most this.
CPU_TARGET = 0.4
#: hzgreen (best handler) / the Java client in the same run: at least this.
JAVA_TARGETS = {"seq_get": 0.9, "pipelined_put": 0.75, "mixed_threads": 0.75}


def aggregate(runs):
    """Per scenario and contender: the medians over rounds, or why there are none.

    ``runs`` is a list of worker results (dicts).  A cell is the five metrics
    (medians over the rounds that produced a number) plus ``rounds``; or the
    five metrics as None plus ``absent`` (the contender lacks the scenario) or
    ``error`` (every round failed).  A cell also has each of ``EXTRAS`` that its
    rounds reported.
    """
    cells = {}
    for scenario in SCENARIOS:
        row = cells[scenario] = {}
        for contender in CONTENDERS:
            mine = [r for r in runs if r.get("scenario") == scenario and r.get("contender") == contender]
            good = [r for r in mine if "ops" in r and r.get("ops")]
            cell = {m: None for m in METRICS}
            if good:
                for m in METRICS:
                    values = [r[m] for r in good if isinstance(r.get(m), (int, float))]
                    cell[m] = statistics.median(values) if values else None
                for m in EXTRAS:
                    values = [r[m] for r in good if isinstance(r.get(m), (int, float))]
                    if values:
                        cell[m] = statistics.median(values)
                cell["rounds"] = len(good)
                failed = [r for r in mine if "error" in r]
                if failed:
                    cell["failed_rounds"] = len(failed)
            elif any("absent" in r for r in mine):
                cell["absent"] = next(r["absent"] for r in mine if "absent" in r)
            elif mine:
                cell["error"] = next((r["error"] for r in mine if "error" in r), "no operations completed")
            else:
                cell["absent"] = "not run"
            row[contender] = cell
    return cells


def _ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def ratios(cells):
    """Throughput and CPU ratios to the best official contender, per scenario.

    The throughput baseline is the official contender (threads or asyncio) with the most
    ops/s in that scenario, the CPU baseline the one with the least CPU per operation;
    ``best`` is the better hzgreen handler (higher ops/s ratio; lower CPU ratio). A
    scenario no official contender runs has no ratios.
    """
    out = {}
    for scenario in SCENARIOS:
        row = cells[scenario]
        throughputs = [row[c]["ops_per_s"] for c in OFFICIALS if row[c]["ops_per_s"]]
        costs = [row[c]["cpu_us_per_op"] for c in OFFICIALS if row[c]["cpu_us_per_op"]]
        baseline = max(throughputs) if throughputs else None
        cost = min(costs) if costs else None
        others = HZGREEN + ("java",) + OFFICIALS
        per = {c: _ratio(row[c]["ops_per_s"], baseline) for c in others}
        cpu = {c: _ratio(row[c]["cpu_us_per_op"], cost) for c in others}
        present = [per[c] for c in HZGREEN if per[c] is not None]
        present_cpu = [cpu[c] for c in HZGREEN if cpu[c] is not None]
        best_ops = [row[c]["ops_per_s"] for c in HZGREEN if row[c]["ops_per_s"]]
        out[scenario] = {
            "of_java": _ratio(max(best_ops), row["java"]["ops_per_s"]) if best_ops else None,
            "java_target": JAVA_TARGETS.get(scenario),
            "best": max(present) if present else None,
            "per_contender": per,
            "cpu_best": min(present_cpu) if present_cpu else None,
            "cpu_per_contender": cpu,
            "target": TARGETS.get(scenario),
            "cpu_target": CPU_TARGET,
        }
    return out


def latest_json(member_version, rounds, cells, ratio_info):
    """The shape of benchmarks/results/latest.json."""
    scenarios = {}
    for scenario, row in cells.items():
        scenarios[scenario] = {}
        for contender, cell in row.items():
            entry = {m: _clean(cell[m]) for m in METRICS}
            for extra in EXTRAS:
                if extra in cell:
                    entry[extra] = round(cell[extra], 6)
            for extra in ("absent", "error"):
                if extra in cell:
                    entry[extra] = cell[extra]
            scenarios[scenario][contender] = entry
    return {
        "member_version": member_version,
        "rounds": rounds,
        "scenarios": scenarios,
        "ratios": {s: _clean(info["best"]) for s, info in ratio_info.items()},
    }


def _clean(value):
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return round(value, 3)
    return value


# -- Markdown -----------------------------------------------------------------------------


def _fmt(value, digits=0):
    if value is None:
        return ""
    if digits == 0:
        return "{:,.0f}".format(value)
    return "{:,.{d}f}".format(value, d=digits)


def _fmt_ratio(value):
    return "—" if value is None else "%.2f×" % value


def ceiling_rows(cells):
    """[scenario, then each contender's ops/s as a share of the member's ceiling] for the
    many-caller scenarios, or [] when the ceiling was not measured."""
    ceiling = cells.get("member_ceiling", {}).get("java", {}).get("ops_per_s")
    if not ceiling:
        return []
    rows = []
    for scenario in CEILING_SCENARIOS:
        row = cells[scenario]
        rows.append(
            [scenario]
            + ["%.0f%%" % (100 * row[c]["ops_per_s"] / ceiling) if row[c]["ops_per_s"] else "—" for c in CONTENDERS]
        )
    return rows


def ceiling_note(cells):
    """One paragraph: the ceiling and the step that reached it."""
    cell = cells.get("member_ceiling", {}).get("java", {})
    if not cell.get("ops_per_s"):
        return ""
    how = ""
    if cell.get("clients") is not None:
        how = " (median best step: %.0f Java client(s) x %.0f submitting thread(s) x %.0f operations in flight)" % (
            cell["clients"],
            cell["threads_per_client"],
            cell.get("in_flight_per_thread") or 0,
        )
    return (
        "Member ceiling: %s ops/s of the mixed workload (80%% get, 20%% put) on the one member%s, from Java "
        "clients in one process submitting asynchronously, adding clients, threads and operations in flight "
        "until the rate stopped growing by 5%%. The shares below are each contender's ops/s in the many-caller "
        "scenarios over it." % (_fmt(cell["ops_per_s"]), how)
    )


#: The scenarios that keep the members busy: their CPU per operation is the members' work, not
#: their idle time spread over few operations (as in the one-caller scenarios).
LOADED_SCENARIOS = (
    "pipelined_put",
    "mixed_threads",
    "mixed_greenlets",
    "member_ceiling",
    "mixed_3_members",
    "fleet_1",
    "fleet_2",
    "fleet_4",
)


def member_rows(cells, cpus):
    """Per loaded scenario whose members' CPU was measured: [scenario, the members' CPU µs per
    operation under each contender, the rate the members would reach with all ``cpus`` to
    themselves (``cpus`` s over the least of those costs), then each contender's ops/s as a
    share of that rate]."""
    rows = []
    for scenario in LOADED_SCENARIOS:
        row = cells.get(scenario)
        if row is None:
            continue
        costs = {c: row[c].get("member_cpu_us_per_op") for c in CONTENDERS if row[c].get("ops_per_s")}
        known = [v for v in costs.values() if v]
        if not known:
            continue
        limit = cpus * 1e6 / min(known)
        rows.append(
            [scenario]
            + [_fmt(costs.get(c), 1) if costs.get(c) else "—" for c in CONTENDERS]
            + [_fmt(limit)]
            + ["%.0f%%" % (100 * row[c]["ops_per_s"] / limit) if row[c].get("ops_per_s") else "—" for c in CONTENDERS]
        )
    return rows


def member_headers():
    return (
        ["scenario"]
        + ["member µs/op %s" % c for c in CONTENDERS]
        + ["member limit ops/s"]
        + ["share %s" % c for c in CONTENDERS]
    )


MEMBER_NOTE = (
    "Members' CPU: the CPU the member JVMs used during each measured section (from /proc, clock-tick "
    "resolution) per operation, in the scenarios that keep them busy. Member limit: the machine's CPUs "
    "divided by the least of those costs, the rate the members could reach with every core to themselves "
    "and no client on the machine; the shares are each contender's ops/s over it."
)


def fleet_rows(cells):
    """Per fleet scenario: [scenario, hzgreen-gevent ops/s, its CPU cores, official-asyncio
    ops/s, its cores, the Java client's ops/s at hzgreen's CPU, hzgreen over that].

    The Java figure is hzgreen's cores divided by Java's CPU per operation in
    ``mixed_3_members`` (same workload, same members): what the Java client would do
    with the same CPU if it scaled linearly."""
    java_cost = cells.get(FLEET_JAVA_SCENARIO, {}).get("java", {}).get("cpu_us_per_op")
    rows = []
    for scenario in SCENARIOS:
        if not scenario.startswith("fleet_"):
            continue
        mine, theirs = cells[scenario]["hzgreen-gevent"], cells[scenario]["official-asyncio"]
        if not mine.get("ops_per_s"):
            continue
        cores = mine.get("cpu_cores")
        java_same = cores * 1e6 / java_cost if cores and java_cost else None
        rows.append(
            [
                scenario,
                _fmt(mine["ops_per_s"]),
                "" if cores is None else "%.2f" % cores,
                _fmt(theirs.get("ops_per_s")),
                "" if theirs.get("cpu_cores") is None else "%.2f" % theirs["cpu_cores"],
                _fmt(java_same),
                _fmt_ratio(_ratio(mine["ops_per_s"], java_same)),
            ]
        )
    return rows


FLEET_HEADERS = [
    "fleet",
    "hzgreen-gevent ops/s",
    "its CPU cores",
    "official-asyncio ops/s",
    "its CPU cores",
    "Java at hzgreen's CPU",
    "hzgreen / Java",
]
FLEET_NOTE = (
    "Fleets: N processes at once, each running mixed_greenlets against the 3 members, started together; "
    "ops/s is their sum and CPU cores their CPU seconds per second. The Java column is hzgreen's cores "
    "divided by the Java client's CPU per operation in mixed_3_members (the same workload on the same "
    "members): what it would do with the same CPU if it scaled linearly."
)


def _hit_ratio_rows(cells):
    """[scenario, hit ratio per contender] for the scenarios that report one."""
    rows = []
    for scenario in SCENARIOS:
        row = cells[scenario]
        if any("hit_ratio" in row[c] for c in CONTENDERS):
            rows.append(
                [scenario] + ["%.4f" % row[c]["hit_ratio"] if "hit_ratio" in row[c] else "—" for c in CONTENDERS]
            )
    return rows


HIT_RATIO_NOTE = (
    "Near cache hit ratio: hits / (hits + misses) of the measured section, from each client's "
    "near cache statistics (hzgreen: map.get_near_cache_stats(); official: its near cache's get_statistics())."
)


def markdown(cells, ratio_info, header_lines=(), cpus=None):
    lines = list(header_lines)
    if lines:
        lines.append("")
    lines += [
        "| scenario | contender | ops/s | p50 µs | p99 µs | CPU µs/op | RSS MiB |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for scenario in SCENARIOS:
        for contender in CONTENDERS:
            cell = cells[scenario][contender]
            if cell["ops_per_s"] is None:
                why = "absent" if "absent" in cell else "error"
                lines.append("| %s | %s | %s | | | | |" % (scenario, contender, why))
                continue
            digits = 1 if cell["ops_per_s"] < 100 else 0
            lines.append(
                "| %s | %s | %s | %s | %s | %s | %s |"
                % (
                    scenario,
                    contender,
                    _fmt(cell["ops_per_s"], digits),
                    _fmt(cell["p50_us"]),
                    _fmt(cell["p99_us"]),
                    _fmt(cell["cpu_us_per_op"], 1),
                    _fmt(cell["rss_mib"], 1),
                )
            )
    lines += [
        "",
        "Ratios to the best official contender (threads or asyncio) in the same run (ops/s, higher is "
        "better; CPU µs/op, lower is better), and the best hzgreen handler's ops/s over the Java client's:",
        "",
        "| scenario | target | best hzgreen | threading | gevent | java | CPU best | CPU threading | CPU gevent "
        "| of Java |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in SCENARIOS:
        info = ratio_info[scenario]
        per = info["per_contender"]
        cpu = info["cpu_per_contender"]
        target = info["target"]
        best = info["best"]
        mark = ""
        if target is not None and best is not None:
            mark = " ✓" if best >= target else " ✗"
        cpu_mark = ""
        if info["cpu_best"] is not None:
            cpu_mark = " ✓" if info["cpu_best"] <= CPU_TARGET else " ✗"
        lines.append(
            "| %s | %s | %s%s | %s | %s | %s | %s%s | %s | %s | %s |"
            % (
                scenario,
                "≥ %.1f×" % target if target else "—",
                _fmt_ratio(best),
                mark,
                _fmt_ratio(per["hzgreen-threading"]),
                _fmt_ratio(per["hzgreen-gevent"]),
                _fmt_ratio(per["java"]),
                _fmt_ratio(info["cpu_best"]),
                cpu_mark,
                _fmt_ratio(cpu["hzgreen-threading"]),
                _fmt_ratio(cpu["hzgreen-gevent"]),
                _of_java(info),
            )
        )
    lines.append("")
    lines.append(
        "CPU target: ≤ %.1f× the CPU µs/op of the official contender using the least. ✓/✗: target met or not. "
        "connect: ops/s is connections per second (1 / mean start()-to-CONNECTED time), "
        "p50/p99 are that time in µs." % CPU_TARGET
    )
    hit_rows = _hit_ratio_rows(cells)
    if hit_rows:
        lines += [
            "",
            HIT_RATIO_NOTE,
            "",
            "| scenario | %s |" % " | ".join(CONTENDERS),
            "|---|" + "---:|" * len(CONTENDERS),
        ]
        lines += ["| %s |" % " | ".join(row) for row in hit_rows]
    rows = ceiling_rows(cells)
    if rows:
        lines += ["", ceiling_note(cells), "", "| scenario | %s |" % " | ".join(CONTENDERS)]
        lines += ["|---|" + "---:|" * len(CONTENDERS)] + ["| %s |" % " | ".join(row) for row in rows]
    rows = member_rows(cells, cpus) if cpus else []
    if rows:
        headers = member_headers()
        lines += ["", MEMBER_NOTE, "", "| %s |" % " | ".join(headers)]
        lines += ["|---|" + "---:|" * (len(headers) - 1)] + ["| %s |" % " | ".join(row) for row in rows]
    rows = fleet_rows(cells)
    if rows:
        lines += ["", FLEET_NOTE, "", "| %s |" % " | ".join(FLEET_HEADERS)]
        lines += ["|---|" + "---:|" * (len(FLEET_HEADERS) - 1)] + ["| %s |" % " | ".join(row) for row in rows]
    absent = [(s, c, cells[s][c]["absent"]) for s in SCENARIOS for c in CONTENDERS if "absent" in cells[s][c]]
    errors = [(s, c, cells[s][c]["error"]) for s in SCENARIOS for c in CONTENDERS if "error" in cells[s][c]]
    if absent:
        lines += ["", "Absent:", ""] + ["- %s / %s: %s" % item for item in absent]
    if errors:
        lines += ["", "Errors:", ""] + ["- %s / %s: %s" % item for item in errors]
    return "\n".join(lines) + "\n"


# -- reStructuredText (for docs/performance.rst) -----------------------------------------


def _of_java(info):
    """The best hzgreen handler's ops/s over Java's, as a percentage, marked against its target."""
    ratio, target = info.get("of_java"), info.get("java_target")
    if ratio is None:
        return "—"
    text = "%.0f%%" % (100 * ratio)
    if target is not None:
        text += " (≥ %.0f%%) %s" % (100 * target, "✓" if ratio >= target else "✗")
    return text


def _simple_table(headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    rule = "  ".join("=" * w for w in widths)

    def line(cells):
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([rule, line(headers), rule] + [line(r) for r in rows] + [rule])


def rst(cells, ratio_info, cpus=None):
    """The tables of :func:`markdown` as reStructuredText simple tables."""
    rows = []
    for scenario in SCENARIOS:
        for contender in CONTENDERS:
            cell = cells[scenario][contender]
            if cell["ops_per_s"] is None:
                rows.append([scenario, contender, "absent" if "absent" in cell else "error", "", "", "", ""])
                continue
            digits = 1 if cell["ops_per_s"] < 100 else 0
            rows.append(
                [
                    scenario,
                    contender,
                    _fmt(cell["ops_per_s"], digits),
                    _fmt(cell["p50_us"]),
                    _fmt(cell["p99_us"]),
                    _fmt(cell["cpu_us_per_op"], 1),
                    _fmt(cell["rss_mib"], 1),
                ]
            )
    first = _simple_table(["scenario", "contender", "ops/s", "p50 µs", "p99 µs", "CPU µs/op", "RSS MiB"], rows)
    ratio_rows = []
    for scenario in SCENARIOS:
        info = ratio_info[scenario]
        per, cpu, target, best = info["per_contender"], info["cpu_per_contender"], info["target"], info["best"]
        ratio_rows.append(
            [
                scenario,
                "≥ %.1f×" % target if target else "—",
                _fmt_ratio(best) + ("" if target is None or best is None else (" ✓" if best >= target else " ✗")),
                _fmt_ratio(per["hzgreen-threading"]),
                _fmt_ratio(per["hzgreen-gevent"]),
                _fmt_ratio(per["java"]),
                _fmt_ratio(info["cpu_best"])
                + ("" if info["cpu_best"] is None else (" ✓" if info["cpu_best"] <= CPU_TARGET else " ✗")),
                _fmt_ratio(cpu["hzgreen-threading"]),
                _fmt_ratio(cpu["hzgreen-gevent"]),
                _of_java(info),
            ]
        )
    second = _simple_table(
        [
            "scenario",
            "target",
            "best hzgreen",
            "threading",
            "gevent",
            "java",
            "CPU best",
            "CPU threading",
            "CPU gevent",
            "of Java",
        ],
        ratio_rows,
    )
    parts = [first, second]
    hit_rows = _hit_ratio_rows(cells)
    if hit_rows:
        parts += [HIT_RATIO_NOTE, _simple_table(["scenario", *CONTENDERS], hit_rows)]
    rows = ceiling_rows(cells)
    if rows:
        parts += [ceiling_note(cells), _simple_table(["scenario", *CONTENDERS], rows)]
    rows = member_rows(cells, cpus) if cpus else []
    if rows:
        parts += [MEMBER_NOTE, _simple_table(member_headers(), rows)]
    rows = fleet_rows(cells)
    if rows:
        parts += [FLEET_NOTE, _simple_table(FLEET_HEADERS, rows)]
    return "\n\n".join(parts) + "\n"


# -- chart ------------------------------------------------------------------------------


def chart(ratio_info, path, title):
    """Bar chart of the ratios with the targets; returns False when matplotlib is missing."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    # Scenarios with no ratio at all (the member's ceiling) have nothing to draw.
    scenarios = [s for s in SCENARIOS if any(v is not None for v in ratio_info[s]["per_contender"].values())]
    series = [("hzgreen-threading", "#1f77b4"), ("hzgreen-gevent", "#2ca02c"), ("java", "#bbbbbb")]
    width = 0.27
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(15, 8.5), sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    xs = range(len(scenarios))
    for axis, key, shown, target_of, ylabel in (
        (top, "per_contender", series, lambda s: ratio_info[s]["target"], "ops/s ratio to official (higher is better)"),
        # The CPU target is hzgreen's; the JVM's CPU (JIT, GC) would dwarf the scale.
        (
            bottom,
            "cpu_per_contender",
            series[:2],
            lambda s: CPU_TARGET,
            "CPU µs/op ratio to official (lower is better)",
        ),
    ):
        cap = None
        if axis is bottom:
            biggest = max([ratio_info[s][key][c] or 0 for s in scenarios for c, _ in shown] + [1.0])
            cap = min(max(1.5, biggest * 1.15), 3.0)
            axis.set_ylim(0, cap)
        for k, (contender, color) in enumerate(shown):
            values = [ratio_info[s][key][contender] for s in scenarios]
            positions = [x + (k - (len(shown) - 1) / 2) * width for x in xs]
            heights = [v if v is not None else 0 for v in values]
            bars = axis.bar(positions, heights, width, color=color, label=contender + " / official")
            for bar, value in zip(bars, values):
                middle = bar.get_x() + bar.get_width() / 2
                if value is None:
                    axis.text(
                        middle, 0.02, "absent", rotation=90, ha="center", va="bottom", fontsize=7, color="#666666"
                    )
                elif cap is not None and value > cap:
                    axis.text(middle, cap * 0.97, "%.2f↑" % value, ha="center", va="top", fontsize=7)
                else:
                    axis.text(middle, value, "%.2f" % value, ha="center", va="bottom", fontsize=7)
        labelled = False
        for x, scenario in zip(xs, scenarios):
            target = target_of(scenario)
            if target is not None:
                axis.hlines(
                    target,
                    x - 1.6 * width,
                    x + 1.6 * width,
                    colors="#d62728",
                    linewidth=2,
                    label=None if labelled else "target",
                )
                labelled = True
        axis.axhline(1.0, color="black", linestyle="--", linewidth=0.8)
        axis.set_ylabel(ylabel, fontsize=9)
        axis.grid(axis="y", alpha=0.3)
    handles, labels = top.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    top.legend(unique.values(), unique.keys(), fontsize=8, loc="upper right")
    top.set_title(title, fontsize=10)
    bottom.set_xticks(list(xs))
    bottom.set_xticklabels(scenarios, rotation=20, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
