"""MediaPipe's native INFO/WARNING chatter is kept off stderr; errors and everything else still get through."""

from __future__ import annotations

import os

from formcheck.pose.native_log import drop_native_chatter, filtered_native_stderr

CHATTER = (
    b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    b"I0000 00:00:1796287053.430591    2463 task_runner.cc:85] GPU suport is not available: INTERNAL\n"
    b"INFO: Created TensorFlow Lite XNNPACK delegate for CPU.\n"
    b"W0000 00:00:1796287053.492713    2505 inference_feedback_manager.cc:114] Feedback manager requires a model\n"
    b"W0000 00:00:1796287053.749601    2508 landmark_projection_calculator.cc:186] Using NORM_RECT without\n"
)
KEPT = (
    b"E0000 00:00:1796287053.749601    2508 calculator_graph.cc:887] INTERNAL: something real\n"
    b"formcheck: a Python warning\n"
)


def test_chatter_dropped_errors_kept():
    assert drop_native_chatter(CHATTER) == b""
    assert drop_native_chatter(CHATTER[:60] + b"\n" + KEPT) == CHATTER[:60] + b"\n" + KEPT  # a cut line stays
    assert drop_native_chatter(KEPT + CHATTER) == KEPT


def test_fd2_writes_inside_the_block_are_filtered(capfd):
    os.write(2, b"before\n")
    with filtered_native_stderr():
        os.write(2, CHATTER)
        os.write(2, KEPT)
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "before\n" + KEPT.decode() + "after\n"


def test_fd2_restored_when_the_block_raises(capfd):
    try:
        with filtered_native_stderr():
            os.write(2, KEPT)
            raise KeyError("boom")
    except KeyError:
        pass
    os.write(2, b"after\n")
    assert capfd.readouterr().err == KEPT.decode() + "after\n"


def test_no_temporary_file_leaves_stderr_alone(capfd, monkeypatch):
    """A full /tmp must not turn into a failed model load: the block runs with stderr unfiltered."""
    import tempfile

    def no_room():
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    with filtered_native_stderr():
        os.write(2, CHATTER)
    assert capfd.readouterr().err == CHATTER.decode()
