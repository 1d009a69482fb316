"""Where the per-chunk work runs: this process, worker processes, or a Dask cluster.

All three offer the same two calls, ``submit(func, *args)`` returning a future and
``close()``, so the preparation code is written once. Results are always collected in
submission order, which makes every table independent of the number of workers.

:func:`map_documents` runs an analysis that works document by document (quotations, labels,
reporting verbs) on parts of a documents table in forked worker processes, which share the
documents and the token store with the parent; :func:`concat_parts` joins the results.
"""

from __future__ import annotations

import contextlib
import gc
import io
import traceback
import warnings
import multiprocessing
import os
import pickle
import sys
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor

from ..errors import ParameterError
from .memory import release_memory

__all__ = ["SCHEDULERS", "can_fork", "concat_part_files", "concat_parts", "default_jobs", "make_executor", "map_batches",
           "map_documents", "map_documents_to_files", "run_isolated"]

#: Accepted values of ``scheduler`` (``"dask"`` may carry an address: ``"dask=tcp://host:8786"``).
SCHEDULERS: tuple[str, ...] = ("processes", "dask")


def default_jobs() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _worker_context():
    """fork on Linux: the workers share the parent's loaded modules and data (no second import
    of pandas, no copy of the token store); elsewhere the platform default."""
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)


def can_fork() -> bool:
    """Whether :func:`run_isolated` and the workers fork (Linux) rather than start afresh."""
    return sys.platform.startswith("linux")


class _Relay(io.TextIOBase):
    """A text stream of a forked process whose writes go to the parent's stream of the same name
    (the parent's may be a capture of a test or a notebook, which a child cannot reach)."""

    def __init__(self, conn, name: str, tty: bool):
        super().__init__()
        self._conn, self._name, self._tty = conn, name, tty

    @property
    def encoding(self):
        return "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        if text:
            self._conn.send(("write", self._name, str(text)))
        return len(text)

    def isatty(self) -> bool:
        return self._tty


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _run_child(conn, func, kwargs, ttys) -> None:
    sys.stdout, sys.stderr = _Relay(conn, "stdout", ttys[0]), _Relay(conn, "stderr", ttys[1])
    try:
        with warnings.catch_warnings(record=True) as caught:
            result = func(**kwargs)
        for found in caught:
            conn.send(("warning", found.message, found.category, found.filename, found.lineno))
        conn.send(("done", result))
    except BaseException as error:  # noqa: BLE001 - every error goes to the parent, which raises it
        text = "".join(traceback.format_exception(error))
        try:
            conn.send(("error", error, text))
        except Exception:  # an error that cannot be pickled: its text
            conn.send(("error", RuntimeError(f"{type(error).__name__}: {error}"), text))
    finally:
        conn.close()


def run_isolated(func, **kwargs):
    """``func(**kwargs)`` in a forked process that ends when it returns: the memory the call used
    goes back to the system with that process, whatever the call left allocated or fragmented.

    What the call prints goes to this process's ``sys.stdout`` / ``sys.stderr`` (also when a test or
    a notebook captures them), its warnings are issued again here, and its error is raised here
    (with the child's traceback as a note). The result must be picklable. Linux only
    (:func:`can_fork`); elsewhere call ``func`` directly.

    Examples
    --------
    >>> run_isolated(round, number=2.675, ndigits=1) if can_fork() else round(2.675, 1)
    2.7
    """
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    ttys = (_isatty(sys.stdout), _isatty(sys.stderr))
    sys.stdout.flush()
    sys.stderr.flush()
    child = context.Process(target=_run_child, args=(send, func, kwargs, ttys), daemon=False)
    child.start()
    send.close()
    outcome = None
    try:
        while True:
            try:
                message = receive.recv()
            except EOFError:
                break
            if message[0] == "write":
                (sys.stdout if message[1] == "stdout" else sys.stderr).write(message[2])
            elif message[0] == "warning":
                _, text, category, filename, lineno = message
                warnings.warn_explicit(text, category, filename, lineno)
            else:
                outcome = message
    finally:
        receive.close()
        if outcome is None and child.is_alive():
            child.terminate()
        child.join()
    if outcome is None:
        raise RuntimeError(f"the process preparing this step ended with exit code {child.exitcode} before it was "
                           "done (a code of -9 is most often the system stopping it for lack of memory): try fewer "
                           "--jobs or a smaller corpus")
    if outcome[0] == "error":
        error = outcome[1]
        error.add_note("In a forked process (analysis.store.executor.run_isolated):\n" + outcome[2])
        raise error
    return outcome[1]


@contextlib.contextmanager
def _frozen_parent():
    """The parent made compact and its objects moved out of the garbage collector's reach while
    forked workers run.

    A forked worker shares the parent's pages until it writes to them, and a collection in the
    worker writes to every object it visits (the collector's bookkeeping lives in each object's
    header): without ``gc.freeze`` each worker soon holds a private copy of the parent's Python
    objects, the documents' texts and the mentions' strings among them. Frozen objects are not
    visited; the parent unfreezes them when the workers are done.
    """
    global _FROZEN_DEPTH
    release_memory()  # the workers fork from a compact parent (see release_memory)
    gc.freeze()  # again when nested: objects made since the outer freeze are frozen too
    _FROZEN_DEPTH += 1
    try:
        yield
    finally:
        _FROZEN_DEPTH -= 1
        if not _FROZEN_DEPTH:
            gc.unfreeze()


_FROZEN_DEPTH = 0


class SerialExecutor:
    """Runs each call at once in this process (``jobs=1``)."""

    jobs = 1

    def submit(self, func, *args) -> Future:
        future: Future = Future()
        future.set_result(func(*args))
        return future

    def close(self) -> None:
        pass


class ProcessExecutor:
    """A pool of worker processes from the standard library."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._frozen = _frozen_parent()
        self._frozen.__enter__()
        self._pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_worker_context())

    def submit(self, func, *args) -> Future:
        return self._pool.submit(func, *args)

    def close(self) -> None:
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            self._frozen.__exit__(None, None, None)


class DaskExecutor:
    """A Dask cluster: the one at ``address``, or a ``LocalCluster`` started for the run."""

    def __init__(self, jobs: int, address: str | None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise ParameterError(
                "scheduler 'dask' needs dask.distributed, which is not installed",
                hint='install the optional extra: pip install ".[dask]"',
            ) from None
        self._cluster = None
        if address:
            self._client = Client(address)
        else:
            self._cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self._client = Client(self._cluster)
        self.jobs = max(1, len(self._client.scheduler_info().get("workers", {})) or jobs)

    def submit(self, func, *args):
        return self._client.submit(func, *args, pure=False)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(jobs: int | None = None, scheduler: str = "processes"):
    """An executor for ``jobs`` workers (None: all cores) on ``scheduler``.

    Parameters
    ----------
    jobs : int, optional
        Number of workers; 1 runs everything in this process.
    scheduler : str, default "processes"
        ``"processes"`` (worker processes on this machine), ``"dask"`` (a Dask
        ``LocalCluster``) or ``"dask=ADDRESS"`` (an existing Dask scheduler).

    Examples
    --------
    >>> executor = make_executor(1)
    >>> executor.submit(sum, [1, 2]).result()
    3
    """
    if jobs is None:
        jobs = default_jobs()
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a whole number ≥ 1, got {jobs!r}",
                             hint="e.g. --jobs 2, or leave it out to use every core")
    if not isinstance(scheduler, str):
        raise ParameterError(f"scheduler must be a str, got {type(scheduler).__name__}")
    name, _, address = scheduler.partition("=")
    if name not in SCHEDULERS:
        raise ParameterError(f"unknown scheduler {scheduler!r}",
                             hint="use 'processes', 'dask' or 'dask=tcp://HOST:PORT'")
    if name == "dask":
        return DaskExecutor(jobs, address or None)
    return SerialExecutor() if jobs == 1 else ProcessExecutor(jobs)


#: Documents per piece of :func:`map_documents`.
MAP_DOCUMENTS = 1000

# What the worker processes of map_documents read: set once per worker by the pool's
# initializer. With fork the workers inherit it (the documents and the token store are not
# copied or pickled); elsewhere it is pickled once per worker.
_SHARED: tuple | None = None


def _share(state: tuple) -> None:
    global _SHARED
    _SHARED = state


def _run_piece(start: int, stop: int):
    func, documents, kwargs = _SHARED
    # What the worker's previous piece left freed goes back to the system first: a worker runs
    # many pieces, and glibc would otherwise keep the high-water mark of all of them.
    release_memory()
    result = func(documents.iloc[start:stop], **kwargs)
    for value in kwargs.values():
        # The store's mapped pages this part read (see TokenStore.release_pages).
        release_pages = getattr(value, "release_pages", None)
        if callable(release_pages):
            release_pages()
    return result


def map_documents(func, documents, *, jobs: int | None = 1, piece_documents: int = MAP_DOCUMENTS, **kwargs) -> list:
    """``func(part, **kwargs)`` for consecutive parts of a documents table, on ``jobs`` processes.

    For analyses whose rows are found document by document (quotations, labels ...):
    concatenating the returned tables gives the table of the whole corpus. Results come back
    in document order, whatever the number of workers.

    Parameters
    ----------
    func : callable
        Takes a documents table (and ``kwargs``) and returns a result.
    documents : pandas.DataFrame
    jobs : int, optional
        Worker processes (None: every core; 1: ``func(documents, **kwargs)`` in this process).
    piece_documents : int
        Documents per part.
    **kwargs
        Passed to every call (the token store, a registry ...), shared with the workers.

    Returns
    -------
    list
        One result per part, in order (a single result with ``jobs=1`` or one part).

    Examples
    --------
    >>> import pandas as pd
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"]})
    >>> map_documents(len, docs, jobs=1)
    [3]
    """
    jobs = default_jobs() if jobs is None else jobs
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a whole number ≥ 1, got {jobs!r}",
                             hint="e.g. jobs=2, or None for every core")
    n = len(documents)
    bounds = [(start, min(start + piece_documents, n)) for start in range(0, n, piece_documents)]
    if jobs == 1 or len(bounds) < 2:
        return [func(documents, **kwargs)]
    with _frozen_parent(), ProcessPoolExecutor(max_workers=min(jobs, len(bounds)), mp_context=_worker_context(),
                                               initializer=_share, initargs=((func, documents, kwargs),)) as pool:
        futures = [pool.submit(_run_piece, start, stop) for start, stop in bounds]
        return [future.result() for future in futures]


def _write_result(part, *, _func, _folder, **kwargs):
    """Worker of :func:`map_documents_to_files`: ``_func``'s result pickled into ``_folder`` (a
    tuple element by element), and the file name(s) instead of the result."""
    result = _func(part, **kwargs)
    if isinstance(result, tuple):
        return tuple(_write_one(value, _folder) for value in result)
    return _write_one(result, _folder)


def _write_one(value, folder) -> str:
    handle, path = tempfile.mkstemp(dir=folder, prefix="part-", suffix=".pickle")
    with os.fdopen(handle, "wb") as stream:
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def map_documents_to_files(func, documents, folder, *, jobs: int | None = 1, piece_documents: int = MAP_DOCUMENTS,
                           **kwargs) -> list:
    """:func:`map_documents` whose results reach this process only after its workers are done.

    Each part's result is pickled by the worker into ``folder`` (a tuple element by element);
    what comes back is, per part and in order, the file (or a tuple of files). Join them with
    :func:`concat_part_files`. For maps whose results are large: with :func:`map_documents`
    the parent holds the results of the parts done while the workers still run, so its memory
    and theirs add up; here the parent stays at its size until the workers have exited.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> docs = pd.DataFrame({"doc_id": ["a", "b", "c"]})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = map_documents_to_files(lambda part: (part, len(part)), docs, folder, jobs=1)
    ...     joined, size = concat_part_files(files)
    >>> joined["doc_id"].tolist(), size
    (['a', 'b', 'c'], 3)
    """
    return map_documents(_write_result, documents, jobs=jobs, piece_documents=piece_documents, _func=func,
                         _folder=str(folder), **kwargs)


def concat_part_files(files: list):
    """:func:`concat_parts` of the results :func:`map_documents_to_files` wrote, read and joined
    one position of the tuples at a time (so that only one of the tables is in memory twice
    while it is joined); each file is removed once read."""
    if not files:
        raise ValueError("no parts to join")
    if isinstance(files[0], tuple):
        return tuple(concat_part_files([part[i] for part in files]) for i in range(len(files[0])))
    parts = []
    for path in files:
        with open(path, "rb") as stream:
            parts.append(pickle.load(stream))
        os.unlink(path)
    return concat_parts(parts)


def _run_batch(batch):
    func, _, kwargs = _SHARED
    release_memory()
    result = func(batch, **kwargs)
    for value in kwargs.values():
        release_pages = getattr(value, "release_pages", None)
        if callable(release_pages):
            release_pages()
    return result


def map_batches(func, batches, *, jobs: int | None = 1, **kwargs) -> list:
    """``func(batch, **kwargs)`` for each documents table of the iterable ``batches``, on ``jobs`` processes.

    The streaming form of :func:`map_documents`, for documents read slice by slice (from the
    cache, :meth:`analysis.pipeline.PreparedCorpus.iter_documents`): each batch is read when a
    worker is about to need it and sent to that worker, at most two per worker in flight, so the
    parent holds the texts of a few batches instead of those of the corpus. ``kwargs`` are shared
    with the workers as in :func:`map_documents`. Results come back in the order of the batches.

    Parameters
    ----------
    func : callable
        Takes a documents table (and ``kwargs``) and returns a result.
    batches : iterable of pandas.DataFrame
    jobs : int, optional
        Worker processes (None: every core; 1: each batch in this process, one after another).
    **kwargs
        Passed to every call.

    Returns
    -------
    list
        One result per batch, in order.

    Examples
    --------
    >>> import pandas as pd
    >>> parts = (pd.DataFrame({"doc_id": list(ids)}) for ids in ("ab", "c"))
    >>> map_batches(len, parts, jobs=1)
    [2, 1]
    """
    jobs = default_jobs() if jobs is None else jobs
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a whole number ≥ 1, got {jobs!r}",
                             hint="e.g. jobs=2, or None for every core")
    if jobs == 1:
        return [func(batch, **kwargs) for batch in batches]
    results, pending = [], []
    with _frozen_parent(), ProcessPoolExecutor(max_workers=jobs, mp_context=_worker_context(),
                                               initializer=_share, initargs=((func, None, kwargs),)) as pool:
        for batch in batches:
            pending.append(pool.submit(_run_batch, batch))
            del batch  # the pool holds the batch until it is sent; this frame should not
            while len(pending) >= 2 * jobs:
                results.append(pending.pop(0).result())
        results.extend(future.result() for future in pending)
    return results


def concat_parts(parts: list):
    """Join the per-part results of :func:`map_documents`: tables one under the other (with a
    new index), tuples of tables position by position. Empty tables are left out unless all
    are empty, so column types are those of the rows found.

    Examples
    --------
    >>> import pandas as pd
    >>> concat_parts([pd.DataFrame({"x": [1]}), pd.DataFrame({"x": []}), pd.DataFrame({"x": [2]})])["x"].tolist()
    [1, 2]
    """
    import pandas as pd

    if not parts:
        raise ValueError("no parts to join")
    if isinstance(parts[0], tuple):
        return tuple(concat_parts([part[i] for part in parts]) for i in range(len(parts[0])))
    if len(parts) == 1:
        return parts[0]
    filled = [part for part in parts if len(part)]
    if not filled:
        return parts[0]
    joined = pd.concat(filled, ignore_index=True)
    joined.attrs = dict(parts[0].attrs)
    return joined
