"""Load test: four sessions open a hostile share link at once beside a normal visitor.

Issue 15's flood: a 1 KB share link whose JSON holds 200,000 NaNs once took
15.8 s per session and sent a 13.3 MB alert; four at once took 47 s each and
the server's memory went 229 -> 711 MiB. Now every such request must cost
bounded work. This script starts ``streamlit run app.py`` on loopback, warms it
with one visit, then opens ``--flood`` sessions on each hostile link at the
same moment as one normal visitor, over Streamlit's own websocket protocol
(``benchmarks/load_test.py``'s driver), and prints each figure against its bar:

- the normal visitor's page (its first rerun) under 2 s;
- each flood session's page under 1 s of server CPU per session, its reply
  under 4 KB of alert text (bytes received in all, including the page);
- the server's memory after the sessions closed within 50 MiB of its memory
  before the flood (measured at once: an upper bound, closed sessions' state is
  dropped later, after ``server.disconnectedSessionTTL``).

Run ``python benchmarks/bench_flood.py [--flood 4]``; the suite runs it with
``--flood 2`` so it cannot rot, asserting no speed. Traffic stays on 127.0.0.1,
every wait has a timeout, and the script stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
for _folder in (str(_ROOT), str(_ROOT / "benchmarks"), str(_ROOT / "tests")):
    if _folder not in sys.path:
        sys.path.insert(0, _folder)

import hostile_corpus  # noqa: E402
from load_test import MIB, Server, _WsSession, streamlit_server  # noqa: E402

VISITOR_BAR_SECONDS = 2.0
FLOOD_CPU_BAR_SECONDS = 1.0
MEMORY_BAR_MIB = 50.0
TIMEOUT_SECONDS = 120.0
LINKS = {
    "NaN profile (200,000 values)": hostile_corpus.nan_profile_link,
    "10,000 unknown keys": hostile_corpus.unknown_keys_link,
}


@dataclass(frozen=True)
class FloodResult:
    """What one flood run measured."""

    link: str
    sessions: int
    visitor_seconds: float
    flood_seconds: list[float]
    flood_received_bytes: list[int]
    server_cpu_per_flood_session: float
    rss_before_mib: float
    rss_after_mib: float
    errors: list[str]


async def _page(session: _WsSession) -> float:
    started = time.perf_counter()
    await session.connect(TIMEOUT_SECONDS)
    rerun = await session.rerun(TIMEOUT_SECONDS)
    session.stats.errors += rerun.errors
    return time.perf_counter() - started


async def flood(server: Server, link: str, token: str, sessions: int) -> FloodResult:
    """``sessions`` visits of ``?s=token`` and one normal visit, started together."""
    warm = _WsSession(0, server.url)
    await _page(warm)
    await warm.close()
    await asyncio.sleep(1.0)
    before, cpu_before = server.rss(), server.cpu()
    visitor = _WsSession(0, server.url)
    flooders = [_WsSession(index, server.url) for index in range(1, sessions + 1)]
    for flooder in flooders:
        flooder.query_string = f"s={token}"
    try:
        timings = await asyncio.gather(*(_page(s) for s in [visitor, *flooders]))
    finally:
        for session in [visitor, *flooders]:
            await session.close()
    cpu = server.cpu() - cpu_before
    await asyncio.sleep(1.0)
    after = server.rss()
    return FloodResult(
        link=link,
        sessions=sessions,
        visitor_seconds=timings[0],
        flood_seconds=list(timings[1:]),
        flood_received_bytes=[s.received_bytes for s in flooders],
        server_cpu_per_flood_session=cpu / (sessions + 1),
        rss_before_mib=before / MIB,
        rss_after_mib=after / MIB,
        errors=[e for s in [visitor, *flooders] for e in s.stats.errors],
    )


def run(sessions: int) -> list[FloodResult]:
    """One server per hostile link, so one link's leftovers do not count against the next."""
    results = []
    for link, make_token in LINKS.items():
        with streamlit_server() as server:
            results.append(asyncio.run(flood(server, link, make_token(), sessions)))
    return results


def report(results: list[FloodResult]) -> str:
    lines = []
    for result in results:
        visitor = "ok" if result.visitor_seconds < VISITOR_BAR_SECONDS else "OVER"
        cpu = result.server_cpu_per_flood_session
        memory = result.rss_after_mib - result.rss_before_mib
        lines += [
            f"{result.link}, {result.sessions} flood sessions beside one visitor:",
            f"  visitor's page     {result.visitor_seconds:6.2f} s   "
            f"(bar {VISITOR_BAR_SECONDS:g} s: {visitor})",
            f"  flood pages        {max(result.flood_seconds):6.2f} s at most, "
            f"{max(result.flood_received_bytes) / 1024:.0f} KB received at most (page included)",
            f"  server CPU/session {cpu:6.2f} s   (bar {FLOOD_CPU_BAR_SECONDS:g} s: "
            f"{'ok' if cpu < FLOOD_CPU_BAR_SECONDS else 'OVER'})",
            f"  server memory      {result.rss_before_mib:.0f} -> {result.rss_after_mib:.0f} MiB "
            f"({memory:+.0f}; bar +{MEMORY_BAR_MIB:g} MiB: "
            f"{'ok' if memory < MEMORY_BAR_MIB else 'OVER'})",
            f"  errors             {len(result.errors)}",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flood", type=int, default=4, help="flood sessions per link")
    args = parser.parse_args()
    print(report(run(args.flood)))


if __name__ == "__main__":
    main()
