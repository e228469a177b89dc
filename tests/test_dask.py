"""Reading and validating can run on an existing Dask cluster (prefect-dask's
DaskTaskRunner) while one writer loads DuckDB: same outcome as a local run."""

from __future__ import annotations

import hashlib

import duckdb

from conftest import copy_sample


def digest(root) -> dict[str, str]:
    return {str(p.relative_to(root / "outbox")): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (root / "outbox").rglob("*.docx")}


def table_counts(root) -> dict[str, int]:
    with duckdb.connect(str(root / "data" / "ita.duckdb"), read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchall()[0][0]
                for t in ("files", "submissions", "submission_rows", "submission_bullets", "problems")}


def test_a_two_worker_cluster_gives_the_same_outputs(tmp_path, sample_run, monkeypatch):
    from distributed import Client, LocalCluster, get_task_stream

    import flows.nightly

    local_root, _ = sample_run
    monkeypatch.setattr(flows.nightly, "BATCH_SIZE", 10)  # several batches, so both workers take some
    copy_sample(tmp_path)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client, get_task_stream(client) as stream:
        from flows.nightly import nightly

        result = nightly(settings={"inbox": str(tmp_path / "inbox"), "outbox": str(tmp_path / "outbox"),
                                   "data": str(tmp_path / "data"), "memo_date": "2023-10-05",
                                   "dask_address": cluster.scheduler_address})
    assert len({task["worker"] for task in stream.data}) == 2  # the batches ran on both workers
    assert len(result["accepted"]) == 73 and len(result["rejected"]) == 1
    assert digest(tmp_path) == digest(local_root)
    assert table_counts(tmp_path) == table_counts(local_root)
