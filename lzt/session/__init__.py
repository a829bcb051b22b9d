"""The viewer model, Qt-free and evented: layers on the map, view extent, selection."""

from lzt.session.events import Event
from lzt.session.model import LayerState, Session

__all__ = ["Event", "LayerState", "Session"]
