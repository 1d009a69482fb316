"""Returning freed memory to the operating system between large steps."""

from __future__ import annotations

import functools
import gc
import mmap
import sys

__all__ = ["release_mapped", "release_memory"]


def release_memory() -> None:
    """Hand memory freed by a large step back to the operating system.

    glibc keeps freed heap pages for reuse, so after preparing a large corpus the process
    would hold hundreds of megabytes it no longer uses (about 200 MB at 10,000 articles) while
    the analyses that follow allocate more. ``malloc_trim`` returns them; elsewhere this only
    collects garbage. Called before worker processes fork too: pages the parent frees after
    the fork would stay private to every worker.
    """
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
    pyarrow = sys.modules.get("pyarrow")
    if pyarrow is not None:
        # Arrow's allocator (mimalloc or jemalloc) keeps freed pages too: reading the
        # documents from Parquet leaves about as much again as the texts take.
        pyarrow.default_memory_pool().release_unused()


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, loaded once; None elsewhere (macOS, Windows, musl)."""
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_mapped(*arrays) -> None:
    """Hand back the pages read so far of arrays that are memory maps of files (views of one included).

    The pages count towards the process's resident memory until handed back, and are read
    again from the page cache, or the file, when next used. Arrays held in memory are left
    alone.
    """
    if not hasattr(mmap, "MADV_DONTNEED"):
        return
    for array in arrays:
        # A view keeps its memory map in ``_mmap`` (numpy.memmap) or at the end of its ``base`` chain.
        mapped, seen = None, 0
        while array is not None and seen < 8:
            mapped = getattr(array, "_mmap", None)
            if isinstance(array, mmap.mmap):
                mapped = array
            if mapped is not None:
                break
            array, seen = getattr(array, "base", None), seen + 1
        if mapped is not None and hasattr(mapped, "madvise"):
            mapped.madvise(mmap.MADV_DONTNEED)
