"""The query pool: answers, errors, the time limit, workers forked from one loaded store."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import time
from pathlib import Path

import pytest

from gfmd_graph.errors import GfmdSyntaxError
from gfmd_graph.query_pool import QueryPool, QueryTimeout
from gfmd_graph.store import QueryRequest

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOKUP = ("SELECT ?label WHERE { <https://w3id.org/gfmd/id/summit/2007> "
          "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")


def request(query: str, fmt: str = "json") -> QueryRequest:
    return QueryRequest(query=query, format=fmt, max_rows=1000, max_bytes=1_000_000,
                        base_iri="https://w3id.org/gfmd/")


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def run(coroutine_function, **options):
    """Run a coroutine with a started pool, closing it afterwards."""
    async def main():
        pool = QueryPool(ROOT, **options)
        await pool.start()
        try:
            return await coroutine_function(pool)
        finally:
            pool.close()
    return asyncio.run(main())


def test_a_lookup_is_answered_with_its_rows():
    async def ask(pool):
        return await pool.execute(request(LOOKUP))
    answer = run(ask, size=1)
    rows = json.loads(answer.body)["results"]["bindings"]
    assert [row["label"]["value"] for row in rows] == ["First GFMD Summit (GFMD I), 2007"]


def test_a_malformed_query_raises_the_parsers_message():
    async def ask(pool):
        return await pool.execute(request("SELECT ?x WHERE { ?x ?y "))
    with pytest.raises(GfmdSyntaxError):
        run(ask, size=1)


def test_a_runaway_query_is_stopped_while_lookups_are_answered():
    async def load(pool):
        started = time.monotonic()
        runaway = asyncio.ensure_future(pool.execute(request(RUNAWAY)))
        await asyncio.sleep(0.2)
        lookups = [await pool.execute(request(LOOKUP + f" # {i}")) for i in range(5)]
        quick = time.monotonic() - started
        with pytest.raises(QueryTimeout):
            await runaway
        stopped = time.monotonic() - started
        await asyncio.sleep(0.3)
        again = await pool.execute(request(LOOKUP))
        return lookups, quick, stopped, pool.timeouts, again
    lookups, quick, stopped, timeouts, again = run(load, size=1, max_size=2, timeout=2)
    assert all(json.loads(a.body)["results"]["bindings"] for a in lookups)
    assert quick < 2  # not queued behind the runaway query
    assert 2 <= stopped < 8 and timeouts == 1
    assert json.loads(again.body)["results"]["bindings"]


def test_workers_are_forks_of_the_one_process_that_loads_the_store():
    async def look(pool):
        loader, *workers = pool.pids
        return loader, workers, [parent_of(pid) for pid in workers]
    loader, workers, parents = run(look, size=3)
    assert len(workers) == 3 and parents == [loader] * 3
    time.sleep(0.5)
    assert not alive(loader) and not any(alive(pid) for pid in workers)  # close() stops them all


def test_extra_workers_serve_a_burst_and_end_when_idle():
    async def burst(pool):
        runaways = [asyncio.ensure_future(pool.execute(request(RUNAWAY + f" # {i}"))) for i in range(3)]
        await asyncio.sleep(0.3)
        during = pool.workers
        answer = await pool.execute(request(LOOKUP))
        results = await asyncio.gather(*runaways, return_exceptions=True)
        await asyncio.sleep(0.3)
        return during, answer, results, pool.workers, len(pool.pids) - 1
    during, answer, results, after, idle = run(burst, size=1, max_size=4, timeout=1.5)
    assert during == 3
    assert json.loads(answer.body)["results"]["bindings"]
    assert all(isinstance(r, QueryTimeout) for r in results)
    assert after == idle == 1


def test_a_full_pool_turns_requests_away():
    async def flood(pool):
        tasks = [asyncio.ensure_future(pool.execute(request(RUNAWAY + f" # {i}"))) for i in range(4)]
        return await asyncio.gather(*tasks, return_exceptions=True)
    results = run(flood, size=1, max_size=1, max_waiting=1, wait_timeout=0.5, timeout=1.5)
    kinds = sorted(type(r).__name__ for r in results)
    # one runs into the limit, one waits in line until it gives up, two find the line full
    assert kinds == ["PoolBusy", "PoolBusy", "PoolBusy", "QueryTimeout"]
    assert sum("waiting" in str(r) for r in results) == 2


def nice_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_a_long_query_runs_at_low_priority_then_its_worker_is_restored():
    long_query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a <https://w3id.org/gfmd/ontology#Practice> }"

    async def long_then_lookup(pool):
        (worker,) = pool.pids[1:]
        running = asyncio.ensure_future(pool.execute(request(long_query)))
        seen = set()
        while not running.done():
            with contextlib.suppress(FileNotFoundError):
                seen.add(nice_of(worker))
            await asyncio.sleep(0.01)
        answer = await running
        await asyncio.sleep(0.2)
        ready = pool.pids[1:]
        return worker, seen, answer, ready, [nice_of(pid) for pid in ready], pool.lowers_priority
    worker, seen, answer, ready, nice_now, lowers = run(long_then_lookup, size=1, lower_priority_after=0.05)
    assert json.loads(answer.body)["results"]["bindings"][0]["n"]["value"].isdigit()
    if not lowers:
        pytest.skip("an unprivileged pool does not lower priorities it could not restore")
    assert seen == {0, 10}  # normal priority first, lowered once the query ran past 0.05 s
    assert ready == [worker] and nice_now == [0]  # the same worker, its copied pages kept


def test_a_worker_is_replaced_after_answering_its_share():
    async def lookups(pool):
        first = pool.pids[1:]
        for i in range(3):
            await pool.execute(request(LOOKUP + f" # {i}"))
        await asyncio.sleep(0.2)
        return first, pool.pids[1:]
    first, then = run(lookups, size=1, recycle_after=3)
    assert len(then) == 1 and then != first


def test_extra_workers_end_after_the_idle_timeout():
    medium = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a <https://w3id.org/gfmd/ontology#Summit> }"

    async def burst(pool):
        await asyncio.gather(*(pool.execute(request(medium + f" # {i}")) for i in range(3)))
        right_after = len(pool.pids) - 1
        await asyncio.sleep(2.5)
        return right_after, len(pool.pids) - 1, pool.workers
    right_after, later, workers = run(burst, size=1, max_size=3, idle_timeout=0.5, lower_priority_after=100)
    assert right_after == 3  # kept for the next burst
    assert later == workers == 1
