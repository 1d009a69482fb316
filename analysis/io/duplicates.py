"""Fingerprints of texts for finding duplicates."""

from __future__ import annotations

import hashlib

__all__ = ["fingerprint"]

_CHUNK = 1 << 20


def fingerprint(text: str) -> tuple[int, bytes]:
    """Non-space character count and a hash of the whitespace-normalised text.

    Whitespace normalisation: runs of whitespace become one space, leading and trailing
    whitespace is dropped. Long texts are processed in chunks of about a million
    characters, cut at whitespace, so memory stays bounded.
    """
    digest = hashlib.blake2b(digest_size=16)
    non_space = 0
    first = True
    start = 0
    n = len(text)
    while start < n:
        stop = min(n, start + _CHUNK)
        if stop < n:
            cut = stop
            limit = max(start, stop - 1000)
            while cut > limit and not text[cut - 1].isspace():
                cut -= 1
            stop = cut if cut > limit else stop  # an enormous "word": cut it anyway
        words = text[start:stop].split()
        start = stop
        if not words:
            continue
        part = " ".join(words)
        non_space += len(part) - (len(words) - 1)
        if not first:
            digest.update(b" ")
        digest.update(part.encode("utf-8", "surrogatepass"))
        first = False
    return non_space, digest.digest()
