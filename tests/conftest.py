"""Shared test set-up: the prepared-corpus cache lives in a temporary folder of the test run.

Set at import time, so that every test, doctest, executed notebook and command-line
subprocess of the run uses it and nothing is written to the user's cache folder.
"""

import atexit
import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="analysis-test-cache-")
os.environ["ANALYSIS_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)
