"""The Dask engine on a real local cluster: results in input order, retries,
a partition that fails is reported and never half-written, a worker killed
mid-run loses and duplicates nothing, an existing scheduler, and the CLI."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsweave.cli import main
from newsweave.load import LoadStats, add_articles, split_partition
from newsweave.models import Analysis, Article
from newsweave.run import make_engine
from newsweave.store import AddResult, open_store

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow


def reports(n: int, tag: str = "") -> list[Article]:
    """Fictional harbour reports, each one different, with JSONL-like paths."""
    return [
        Article(f"Report {tag}{i} from Velmora. The dockers met the port board on day {i}. Talks ran late.",
                id=f"{tag}r{i:04d}", title=f"Velmora report {tag}{i}", path=f"in.jsonl:{i + 1}")
        for i in range(n)
    ]  # fmt: skip


def poisoned_partition(articles: list[Article]) -> list[Analysis]:
    """A worker task that fails on any partition holding a POISON article."""
    if any("POISON" in a.text for a in articles):
        raise ValueError("this partition cannot be prepared")
    return split_partition(articles)


def flaky_sum(chunk: list[Any]) -> list[int]:
    """``[folder, numbers...]``: fails the first time a chunk is seen, then works."""
    folder, numbers = chunk[0], chunk[1:]
    marker = Path(folder) / f"seen-{numbers[0]}"
    if not marker.exists():
        marker.touch()
        raise RuntimeError("transient")
    return [sum(numbers)]


def trim_threshold() -> str | None:
    """A worker's MALLOC_TRIM_THRESHOLD_ (run on the workers)."""
    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


@pytest.fixture(scope="module")
def cluster() -> Any:
    with make_engine("dask", workers=2) as engine:
        yield engine


def test_results_come_back_in_input_order(cluster: Any) -> None:
    chunks = [[i, i + 1] for i in range(0, 40, 2)]
    assert list(cluster.imap_chunks(sorted, chunks)) == chunks


def test_workers_keep_glibc_malloc_tuning(cluster: Any) -> None:
    # Dask's default MALLOC_TRIM_THRESHOLD_=65536 made analysis 15% slower per article.
    expected = os.environ.get("MALLOC_TRIM_THRESHOLD_")  # a user's own setting passes through
    assert set(cluster.client.run(trim_threshold).values()) == {expected}


def test_a_failing_task_is_retried(cluster: Any, tmp_path: Path) -> None:
    chunks = [[str(tmp_path), 1, 2], [str(tmp_path), 3, 4]]
    assert list(cluster.imap_chunks(flaky_sum, chunks)) == [[3], [7]]
    assert len(list(tmp_path.glob("seen-*"))) == 2  # each failed once before it worked


def test_failed_partition_is_reported_and_not_written(cluster: Any, tmp_path: Path) -> None:
    arts = reports(60)
    arts[25] = Article("POISON in the harbour report.", id="bad", path="in.jsonl:26")
    stats = LoadStats()
    with open_store(tmp_path / "n.db") as store:
        result = add_articles(store, arts, cluster, task=poisoned_partition, partition_size=20, stats=stats)
        stored = [a.id for a in store.articles()]
    assert (result.added, result.failed) == (40, 20)
    assert stats.partitions == 3 and len(stats.failed) == 1
    assert "partition 2 (in.jsonl:21 … in.jsonl:40, 20 articles)" in stats.failed[0]
    assert "ValueError" in stats.failed[0] and "run the same command again" in stats.failed[0]
    # Nothing of the failed partition was written; the others are whole and in order.
    assert stored == [a.id for a in arts[:20] + arts[40:]]


def test_worker_killed_mid_run_loses_and_duplicates_nothing(cluster: Any, tmp_path: Path) -> None:
    arts = reports(400, "k")
    pids = list(cluster.worker_pids().values())
    assert len(pids) == 2
    killed: list[int] = []

    def kill_one(totals: AddResult) -> None:
        if not killed:  # after the first partition is written, others are in flight
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    with open_store(tmp_path / "k.db") as store:
        result = add_articles(store, arts, cluster, partition_size=20, progress=kill_one)
        stored = [a.id for a in store.articles()]
        rows = store.conn.execute("SELECT count(*), count(DISTINCT hash) FROM articles").fetchone()
        sentences = store.conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert killed and result.added == 400 and result.failed == 0
    assert rows == (400, 400) and stored == [a.id for a in arts]
    assert sentences == 3 * 400
    assert pids[0] not in cluster.worker_pids().values()  # that process is gone; its nanny started another


def test_same_result_whatever_the_engine(cluster: Any, tmp_path: Path) -> None:
    arts = reports(90, "s")
    with open_store(tmp_path / "one.db") as one:
        one.add(arts)
        expected = [(a, one.sentences(a.id)) for a in one.articles()]
    with open_store(tmp_path / "two.db") as two:
        add_articles(two, arts, cluster, partition_size=7)
        again = add_articles(two, arts, cluster, partition_size=7)
        got = [(a, two.sentences(a.id)) for a in two.articles()]
    assert got == expected
    assert (again.added, again.skipped_existing) == (0, 90)


def test_an_existing_scheduler(cluster: Any, tmp_path: Path) -> None:
    address = cluster.client.scheduler.address
    with make_engine("local", scheduler=address) as remote:
        assert remote.name == "dask" and remote.workers >= 1  # 2, or 1 while a killed one restarts
        assert list(remote.imap_chunks(sorted, [[2, 1], [4, 3]])) == [[1, 2], [3, 4]]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in reports(30)))
    r = CliRunner().invoke(main, ["add", str(src), "--db", str(tmp_path / "s.db"), "--scheduler", address, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["added"] == 30


def test_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    from tests.pgserver import free_port

    (tmp_path / "a.txt").write_text("The ferry to Orlin Island ran again on Friday.\n")
    r = CliRunner().invoke(main, ["add", str(tmp_path / "a.txt"), "--db", str(tmp_path / "x.db"),
                                  "--scheduler", f"tcp://127.0.0.1:{free_port()}"])  # fmt: skip
    assert r.exit_code == 1 and "cannot reach the Dask scheduler" in r.output and "--scheduler" in r.output
    assert "Traceback" not in r.output


def test_cli_dask_into_postgres_from_mixed_inputs(cluster: Any, pg_url: str, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arts = reports(50, "m")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "part1.jsonl").write_text(
        "".join(json.dumps({"id": a.id, "text": a.text, "title": a.title}) + "\n" for a in arts[:20])
    )
    pq.write_table(pa.Table.from_pylist([{"id": a.id, "text": a.text, "title": a.title} for a in arts[20:]]),
                   tmp_path / "in" / "part2.parquet")  # fmt: skip
    runner = CliRunner()
    r = runner.invoke(main, ["add", str(tmp_path / "in"), "--db", pg_url, "--engine", "dask", "--workers", "2",
                             "--json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout) | {"db": ""}  # (add also reports stories; fields are added, never renamed)
    assert {k: got[k] for k in ("added", "already_stored", "failed", "db")} == {
        "added": 50, "already_stored": 0, "failed": 0, "db": ""}
    address = cluster.client.scheduler.address  # the run again, on an existing cluster
    r = runner.invoke(main, ["add", str(tmp_path / "in" / "*.jsonl"), "--db", pg_url, "--scheduler", address, "--json"])
    assert json.loads(r.stdout)["already_stored"] == 20
    with open_store(pg_url) as store:
        assert [a.id for a in store.articles()] == [a.id for a in arts]
        assert store.search("title:m3")[0].article_id == "mr0003"


def test_cli_analyze_on_dask_matches_one_process(cluster: Any, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    texts = [
        'Mediator Ilsa Brandt said on Tuesday that 400 dockers had returned to work in Velmora.',
        '"We will not sign," union leader Tomas Reyl told the Harbor Wire on Monday.',
        'At least 12 ferries were cancelled because of the storm, the port authority said.',
    ]
    src.write_text("".join(json.dumps({"id": f"t{i}", "text": t, "published": "2031-04-08"}) + "\n"
                           for i, t in enumerate(texts)))  # fmt: skip
    runner = CliRunner()
    local = runner.invoke(main, ["analyze", str(src), "--json"])
    address = cluster.client.scheduler.address
    dask = runner.invoke(main, ["analyze", str(src), "--json", "--scheduler", address])
    assert local.exit_code == 0 and dask.exit_code == 0, dask.output
    assert [json.loads(x) for x in dask.stdout.splitlines()] == [json.loads(x) for x in local.stdout.splitlines()]


def _groups(assignments: dict[str, str]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for article_id, story_id in assignments.items():
        by.setdefault(story_id, set()).add(article_id)
    return {frozenset(g) for g in by.values()}


@pytest.mark.parametrize("dated", [True, False])
def test_stories_placed_on_dask_match_one_machine(cluster: Any, tmp_path: Path, dated: bool) -> None:
    """Stories placed as partitions land (workers prepare, this process places in
    arrival order) are the stories one machine makes after the whole load."""
    import random
    import sys
    from functools import partial

    from newsweave.load import prepare_partition
    from newsweave.stories.assign import Placer, assign_pending

    sys.path.insert(0, str(Path(__file__).parent))
    from story_fixtures import jsonl_lines

    rows = jsonl_lines(dated=dated)
    random.Random(3).shuffle(rows)
    rows.insert(5, dict(rows[1], id="copy-of-" + rows[1]["id"], source="Another Outlet"))  # a republished copy
    arts = [Article(r["text"], id=r["id"], source=r["source"], title=r["title"], published=r.get("published"))
            for r in rows]  # fmt: skip
    with open_store(tmp_path / "one.db") as one:
        one.add(arts)
        one.record_copies(arts)  # as ``add`` does when some were stored already
        assign_pending(one, model="lexical", batch=4)
        expected = one.assignments()
    with open_store(tmp_path / "two.db") as two, two.placing():
        placer = Placer(two, model="lexical", batch=4)
        task = partial(prepare_partition, embed=placer.embeds)
        result = add_articles(two, arts, cluster, task=task, partition_size=3, placer=placer)
        report = placer.finish()
        got = two.assignments()
    assert result.added == len(arts) - 1 and result.skipped_existing == 1
    assert report.placed == len(arts) - 1
    assert got == expected  # same stories, same ids, the copy included
    assert "copy-of-" + rows[1]["id"] in got and len(_groups(got)) >= 3
