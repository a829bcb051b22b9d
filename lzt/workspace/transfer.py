"""Copy a whole workspace into another one, losslessly: ``lzt push`` and ``lzt pull``.

Backend-neutral: it reads through the ``Workspace`` interface plus the five
transfer methods both backends have (``all_settings``, ``restore_settings``,
``blob_items``, ``record_rows``, ``restore_records``), and writes everything in
one transaction of the target. Layers keep their names, kinds, field types,
feature ids, geometries, sources, import times and details; rasters their
GeoTIFF bytes; settings (styles included), blobs (BIM meshes, photos),
inspection records and audit entries come across as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field


from layers.kinds import LayerKind
from lzt.core.feedback import Feedback, ensure
from lzt.workspace.base import Workspace
from lzt.core.lazy import lazy_module

pd = lazy_module("pandas")

_BLOB_BATCH_BYTES = 64 * 1024 * 1024


@dataclass
class TransferReport:
    """What was copied."""

    layers: list[str] = field(default_factory=list)
    features: int = 0
    rasters: int = 0
    settings: int = 0
    blobs: int = 0
    inspections: int = 0
    audit_entries: int = 0
    masked: list[str] = field(default_factory=list)  # personal layers this user could read only masked

    def text_zh(self) -> str:
        text = (f"图层 {len(self.layers)}（要素 {self.features}，栅格 {self.rasters}），设置 {self.settings}，"
                f"附件 {self.blobs}，核查记录 {self.inspections}，审计记录 {self.audit_entries}")
        if self.masked:
            text += f"；无原始数据权限，已脱敏复制：{', '.join(self.masked)}"
        return text


def _for_writing(gdf, types: dict[str, str]):
    """Columns as ``write_layer`` expects them for their stored type (DATE as dates)."""
    out = gdf
    for name, ftype in types.items():
        if ftype == "DATE" and name in gdf.columns:
            s = pd.to_datetime(gdf[name], errors="coerce")
            out = out.copy() if out is gdf else out
            out[name] = [None if pd.isna(v) else v.date() for v in s]
    return out


def copy_contents(src: Workspace, dst: Workspace, feedback: Feedback | None = None) -> TransferReport:
    """Copy everything of ``src`` into the empty workspace ``dst``, in one transaction of ``dst``."""
    fb = ensure(feedback)
    report = TransferReport()
    infos = src.layers()
    with dst.transaction():
        settings = src.all_settings()
        dst.restore_settings(settings)
        report.settings = len(settings)
        for i, info in enumerate(infos):
            fb.check()
            fb.progress(i, len(infos), f"复制图层 {info.name}")
            if info.kind == LayerKind.RASTER:
                dst.write_raster(info.name, src.raster_bytes(info.name), info=info.details, source=info.source,
                                 source_hash=info.source_hash, imported_at=info.imported_at)
                report.rasters += 1
            else:
                if getattr(src, "reads_masked", None) and src.reads_masked(info.name):
                    report.masked.append(info.name)
                types = {f.name: f.type for f in info.fields}
                gdf = _for_writing(src.read_features(info.name), types)
                dst.write_layer(info.name, gdf, kind=info.kind, source=info.source, source_hash=info.source_hash,
                                details=info.details, fids=gdf.index.to_numpy(), field_types=types,
                                imported_at=info.imported_at)
                report.features += len(gdf)
            report.layers.append(info.name)
        batch: dict[str, dict[str, bytes]] = {}
        size = 0
        for kind, key, data in src.blob_items():
            fb.check()
            batch.setdefault(kind, {})[key] = data
            size += len(data)
            report.blobs += 1
            if size >= _BLOB_BATCH_BYTES:
                for k, blobs in batch.items():
                    dst.put_blobs(k, blobs)
                batch, size = {}, 0
        for k, blobs in batch.items():
            dst.put_blobs(k, blobs)
        inspections, audit = src.record_rows()
        dst.restore_records(inspections, audit)
        report.inspections, report.audit_entries = len(inspections), len(audit)
        fb.progress(len(infos), len(infos), "提交")
    return report
