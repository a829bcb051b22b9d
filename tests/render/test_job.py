"""Background rendering: the caller never waits, stale results are dropped, cancel works."""

import threading

from lzt.render.cache import FeatureSource
from lzt.render.job import RenderJob
from lzt.render.request import make_request
from tests.render.conftest import X0, Y0


class GatedSource(FeatureSource):
    """A source whose first read blocks until the test opens the gate."""

    def __init__(self, ws):
        super().__init__(ws)
        self.gate = threading.Event()
        self.entered = threading.Event()

    def vectors(self, *a, **k):
        self.entered.set()
        self.gate.wait(10)
        return super().vectors(*a, **k)


def test_stale_result_is_dropped_and_latest_delivered(small_ws):
    src = GatedSource(small_ws)
    job = RenderJob(src)
    delivered = []
    ext = (X0, Y0, X0 + 1000, Y0 + 1000)
    r1 = make_request(small_ws, ext, 64, 64, layers=["parcels"])
    r2 = make_request(small_ws, ext, 32, 32, layers=["parcels"])
    f1 = job.submit(r1, lambda req, img, res: delivered.append(req.id))
    assert src.entered.wait(10)  # r1 is drawing (blocked in its read)
    f2 = job.submit(r2, lambda req, img, res: delivered.append(req.id))
    src.gate.set()
    assert f1.result(10) is None  # superseded: never delivered
    img, res = f2.result(10)
    assert (img.width(), img.height()) == (32, 32)
    assert delivered == [r2.id] and res.request_id == r2.id
    job.shutdown()


def test_cancel_drops_the_render(small_ws):
    src = GatedSource(small_ws)
    job = RenderJob(src)
    r1 = make_request(small_ws, (X0, Y0, X0 + 1000, Y0 + 1000), 64, 64, layers=["parcels"])
    f1 = job.submit(r1)
    assert src.entered.wait(10)
    job.cancel()
    src.gate.set()
    assert f1.result(10) is None
    job.shutdown()


def test_first_picture_has_the_layers_at_hand_then_all(small_ws, monkeypatch):
    """A layer that must be loaded whole is left out of the partial picture, drawn in the final one."""
    import numpy as np

    import lzt.render.cache as cache_mod
    from lzt.render.job import quick_layers

    monkeypatch.setattr(cache_mod, "QUICK_LAYER_FEATURES", 2)  # parcels (3) count as big here
    src = FeatureSource(small_ws)
    ext = (X0 - 100, Y0 - 100, X0 + 1000, Y0 + 1000)
    req = make_request(small_ws, ext, 64, 64, layers=["parcels", "poi"])
    assert [s.name for s in quick_layers(req, src)] == ["poi"]
    got = {}
    job = RenderJob(src)
    img, _ = job.submit(req, lambda r, i, res: got.setdefault("done", (i, res)),
                        lambda r, i, res: got.setdefault("partial", (i, res))).result(20)
    part, part_res = got["partial"]
    assert set(part_res.layers) == {"poi"} and set(got["done"][1].layers) == {"parcels", "poi"}

    def painted(image):
        b = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
        return int((b.reshape(-1, 4)[:, :3] != b.reshape(-1, 4)[0, :3]).any(axis=1).sum())

    assert painted(img) > painted(part)  # the parcels came with the final picture
    assert [s.name for s in quick_layers(req, src)] == ["parcels", "poi"]  # now cached: no second pass
    job.shutdown()


def test_no_partial_picture_when_everything_is_at_hand(small_ws):
    src = FeatureSource(small_ws)
    req = make_request(small_ws, (X0, Y0, X0 + 1000, Y0 + 1000), 32, 32, layers=["parcels", "poi"])
    partial = []
    job = RenderJob(src)
    assert job.submit(req, None, lambda *a: partial.append(a)).result(20) is not None
    assert partial == []
    job.shutdown()


class BrokenSource(FeatureSource):
    """A source whose reads of one layer fail with a programming error (in the render thread)."""

    def __init__(self, ws, broken):
        super().__init__(ws)
        self.broken = broken

    def vectors(self, name, *a, **k):
        if name == self.broken:
            raise RuntimeError(f"boom in {name}")
        return super().vectors(name, *a, **k)


def test_an_unexpected_error_is_told_and_the_other_layers_drawn(small_ws):
    layers = [lyr.name for lyr in small_ws.layers()]
    assert "parcels" in layers and len(layers) > 1
    job = RenderJob(BrokenSource(small_ws, "parcels"))
    req = make_request(small_ws, (X0, Y0, X0 + 1000, Y0 + 1000), 64, 64, layers=layers)
    told, done = [], []
    fut = job.submit(req, lambda r, img, res: done.append(res), on_error=lambda r, exc, layer: told.append((layer, exc)))
    img, res = fut.result(20)  # the view completes without the failing layer
    assert [(layer, str(exc)) for layer, exc in told] == [("parcels", "boom in parcels")]
    assert done == [res] and (res.layers["parcels"].mode, res.layers["parcels"].error) == ("failed", "RuntimeError: boom in parcels")
    assert all(res.layers[n].mode != "failed" and not res.layers[n].error for n in layers if n != "parcels")
    # without on_error the error stays in the future, as before (a batch reads it)
    fut = job.submit(make_request(small_ws, (X0, Y0, X0 + 1000, Y0 + 1000), 64, 64, layers=layers))
    assert isinstance(fut.exception(20), RuntimeError)
    job.shutdown()
