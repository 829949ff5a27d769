"""The PDF renderer yields the CPU to the web workers: it runs at nice 10 at least."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from workflow.exports.documents import RENDER_NICE, lower_priority


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no os.nice on this platform")
def test_the_renderer_thread_runs_at_a_lower_priority_once_and_alone():
    before = os.nice(0)
    seen = []

    def renderer():  # in a thread of its own, as in the scheduler's thread pool
        lower_priority()
        seen.append(os.nice(0))
        lower_priority()  # again: no lower than asked
        seen.append(os.nice(0))

    thread = threading.Thread(target=renderer)
    thread.start()
    thread.join()
    assert seen == [max(before, RENDER_NICE)] * 2
    if sys.platform == "linux":  # the nice value is per thread there: the caller is untouched
        assert os.nice(0) == before
