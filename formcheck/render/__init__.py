"""Annotators that draw on RGB frames (style in ``__init__``, one ``annotate(frame, state) -> frame``), and the
annotated-video writer (``render.video``)."""

from formcheck.render.angles import ElbowAnnotator, TrunkAnnotator
from formcheck.render.contact import ContactAnnotator
from formcheck.render.overlay import MetricPanelAnnotator, StepCounterAnnotator
from formcheck.render.skeleton import SkeletonAnnotator
from formcheck.render.state import FrameState, RenderPlan

__all__ = [
    "ContactAnnotator",
    "ElbowAnnotator",
    "FrameState",
    "MetricPanelAnnotator",
    "RenderPlan",
    "SkeletonAnnotator",
    "StepCounterAnnotator",
    "TrunkAnnotator",
]
