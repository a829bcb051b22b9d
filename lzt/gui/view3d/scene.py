"""The 3D CIM scene: the DEM draped with the 2D base map, the BIM models standing on it, and
the base map's building footprints extruded by their heights (白模).

Built with pyvista (VTK), the field's standard for 3D GIS/CIM in Python. All models go
into one mesh with a per-cell ``model`` id (the bim_models fid), so the scene is one
actor however many models there are and picking a cell names its model. Coordinates are
shifted to a local origin (the DEM's south-west corner): VTK renders in float32, which
cannot hold CGCS2000 eastings/northings to the centimetre.

Heights: a model's mesh keeps its own vertical datum (±0.00 at z = 0 for the demo's
models); it is lifted so that its lowest point sits on the DEM under its footprint's
centre [P] — the DEM is coarser than a building, so "on the ground" means that point.
Extruded footprints stand on the drawn terrain (its lowest point under the footprint) and
rise by the layer's height field (or storeys x 3 m); a footprint on which a BIM model
stands is left out: the model shows that building.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from layers.kinds import LayerKind
from lzt.workspace.base import Workspace

DEM_CELLS = 256  # the surface's grid along its longer side
TEXTURE_PX = 2048  # the base-map texture's longer side


@dataclass
class Scene:
    """The meshes and what is needed to map picks back to the workspace."""

    origin: tuple[float, float]  # workspace x, y of the local (0, 0)
    terrain: object | None  # pyvista.StructuredGrid with texture coordinates
    texture: object | None  # pyvista.Texture of the base map
    models: object | None  # pyvista.PolyData, cell data "model" = bim_models fid
    facts: dict[int, dict] = field(default_factory=dict)  # fid -> name, height, storeys, GFA
    bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # workspace extent shown
    triangles: int = 0
    buildings: object | None = None  # pyvista.PolyData, cell data "building" = footprint fid
    building_layer: str | None = None
    building_count: int = 0
    note: str | None = None  # what the scene had to leave out, for the user
    locators: dict = field(default_factory=dict)  # mesh name -> cell locator, for picking (view3d/pick.py)

    def model_centre(self, fid: int) -> tuple[float, float, float] | None:
        """Local coordinates of a model's centre (for fly-to)."""
        return cells_centre(self.models, "model", fid)


def cells_centre(mesh, key: str, fid: int) -> tuple[float, float, float] | None:
    """Local coordinates of the centre of ``mesh``'s cells whose ``key`` cell data is ``fid``."""
    if mesh is None:
        return None
    cells = np.flatnonzero(np.asarray(mesh.cell_data[key]) == fid)
    if not len(cells):
        return None
    return tuple(float(v) for v in mesh.extract_cells(cells).center)


def terrain_layer(ws: Workspace) -> str | None:
    """The raster the terrain is built from: ``dem``, else the workspace's only single-band
    continuous raster that is not an analysis result (a DEM imported under its file's name,
    e.g. an SRTM or Copernicus tile); None when there is none or the choice is not clear."""
    if ws.has_layer("dem"):
        return "dem"
    found = [i.name for i in ws.layers() if i.kind == LayerKind.RASTER and (d := i.details or {}).get("count") == 1
             and "analysis" not in d and str((d.get("dtypes") or ["uint8"])[0]) not in ("uint8", "int8", "bool")]
    return found[0] if len(found) == 1 else None


def dem_heights(ws: Workspace, bounds, nx: int, ny: int, layer: str | None = None) -> np.ndarray | None:
    """Heights (ny, nx) of the terrain raster at the grid's nodes (the corners of ``bounds``
    included; row 0 north), in the workspace CRS whatever the raster's; None without one."""
    layer = layer or terrain_layer(ws)
    if layer is None:
        return None
    from layers.raster import read_window

    x0, y0, x1, y1 = bounds
    hx, hy = (x1 - x0) / max(nx - 1, 1) / 2, (y1 - y0) / max(ny - 1, 1) / 2  # pixel centres on the nodes
    arr = read_window(ws.raster_bytes(layer), ws.crs, (x0 - hx, y0 - hy, x1 + hx, y1 + hy), nx, ny, bands=[1])[0]
    fill = float(arr.mean()) if arr.count() else 0.0
    return np.asarray(arr.filled(fill), dtype=float)


#: footprint layers extruded when the caller names none
FOOTPRINT_LAYERS = ("buildings",)
HEIGHT_FIELDS = ("height_m", "height", "建筑高度", "高度")
FLOOR_FIELDS = ("floors", "storeys", "层数", "楼层数")
STOREY_M = 3.0  # assumed storey height when a layer has only storeys [P]


def build_scene(ws: Workspace, *, bounds=None, bim_layer: str = "bim_models", base_layers=None,
                footprint_layer: str | None = None, texture_px: int = TEXTURE_PX, dem_cells: int = DEM_CELLS,
                feedback=None) -> Scene:
    """The scene over ``bounds`` (default: the models' extent, padded; else the DEM's).

    ``footprint_layer``: a polygon layer to extrude by height (default: ``buildings`` if the
    workspace has it and it has a height or storey field)."""
    import pyvista as pv
    import shapely.errors

    from lzt.core.feedback import ensure

    fb = ensure(feedback)
    models = ws.read_features(bim_layer) if ws.has_layer(bim_layer) else None
    if bounds is None:
        if models is not None and len(models):
            b = models.total_bounds
            pad = max(300.0, 0.08 * max(b[2] - b[0], b[3] - b[1]))
            bounds = (b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad)
        elif terrain_layer(ws):
            bounds = ws.layer(terrain_layer(ws)).extent
        else:
            raise ValueError("nothing to show in 3D: no BIM models and no DEM")
    x0, y0, x1, y1 = map(float, bounds)
    w, h = x1 - x0, y1 - y0
    nx = max(2, int(dem_cells * w / max(w, h)))
    ny = max(2, int(dem_cells * h / max(w, h)))
    fb.progress(0, 4, "地形")
    z = dem_heights(ws, (x0, y0, x1, y1), nx, ny)
    terrain = texture = None
    if z is not None:
        xs = np.linspace(0, w, nx)
        ys = np.linspace(h, 0, ny)  # row 0 is north
        gx, gy = np.meshgrid(xs, ys)
        terrain = pv.StructuredGrid(gx, gy, z)
        terrain.active_texture_coordinates = np.column_stack([gx.ravel(order="F") / w,
                                                              gy.ravel(order="F") / h]).astype(np.float32)
        fb.check()
        fb.progress(1, 4, "底图")
        texture = _base_map_texture(ws, (x0, y0, x1, y1), texture_px, base_layers)
        fb.check()

    fb.progress(2, 4, "BIM 模型")
    parts, facts = [], {}  # parts: (vertices, triangles, fid, height) of each model
    tris = 0
    if models is not None:
        ground = _model_ground(ws, models, z, (x0, y0, x1, y1))
        for fid, row in models.iterrows():
            fb.check()
            if row.geometry is None or row.get("placed") in (0, False):
                continue
            mesh = model_mesh(ws, row["source"], (float(row["mesh_origin_x"]) - x0, float(row["mesh_origin_y"]) - y0))
            if mesh is None:
                continue
            v, tri = mesh
            v[:, 2] += ground[fid] - v[:, 2].min()
            parts.append((v, tri, int(fid), float(row["height_m"] or 0.0)))
            tris += len(tri)
            facts[int(fid)] = {"name": row["name"], "height_m": row["height_m"], "storeys": row["storeys"],
                               "gfa_m2": row["gfa_m2"], "height_reference": row["height_reference"]}
    merged = _one_mesh(parts) if parts else None
    fb.check()
    fb.progress(3, 4, "建筑白模")
    layer = footprint_layer or next((n for n in FOOTPRINT_LAYERS if ws.has_layer(n)), None)
    blds, n_blds, note = None, 0, None
    if layer is not None and extrusion_height_field(ws.fields(layer)) is not None:
        skip = models.geometry.values if models is not None else None
        try:
            blds, n_blds = extrude_footprints(ws, layer, (x0, y0, x1, y1), z, skip=skip)
        except (shapely.errors.GEOSException, ValueError) as exc:  # the scene goes on without them
            note = f"图层 {layer} 未能拉伸：{exc}"
        if blds is not None:
            tris += blds.n_cells
    fb.progress(4, 4, "完成")
    return Scene(origin=(x0, y0), terrain=terrain, texture=texture, models=merged, facts=facts,
                 bounds=(x0, y0, x1, y1), triangles=tris, buildings=blds,
                 building_layer=layer if blds is not None else None, building_count=n_blds, note=note)


def model_mesh(ws: Workspace, source: str, origin: tuple[float, float]) -> tuple[np.ndarray, np.ndarray] | None:
    """A model's stored mesh as (vertices + ``origin``, triangles), or None when missing or empty.
    The GLB the import writes (one mesh, one triangle list, no node transform: ``bim_import.glb``)
    is read with numpy; any other through trimesh (``lzt.ingest.bim.read_model_mesh``), whose
    meshes, scenes and ray/proximity helpers made ~70 objects in reference cycles per model
    (30,000 on the district), left for the cyclic collector on the GUI thread. The vertices
    are not merged here (trimesh merges them): the models are drawn flat-shaded, the same."""
    import json
    import struct

    from lzt.ingest.bim import MESH_BLOBS, read_model_mesh

    blob = ws.get_blob(MESH_BLOBS, str(source))
    if blob is None:
        return None
    try:
        magic, _version, _total, n_json, kind = struct.unpack_from("<5I", blob, 0)
        tree = json.loads(blob[20:20 + n_json])
        n_bin, bin_kind = struct.unpack_from("<2I", blob, 20 + n_json)
        (prim,) = tree["meshes"][0]["primitives"]
        simple = (magic == 0x46546C67 and kind == 0x4E4F534A and bin_kind == 0x004E4942 and len(tree["meshes"]) == 1
                  and len(tree["nodes"]) == 1 and set(tree["nodes"][0]) <= {"name", "mesh"}
                  and prim.get("mode", 4) == 4 and set(prim["attributes"]) == {"POSITION"})
    except (struct.error, ValueError, KeyError, IndexError, TypeError):
        simple = False
    if simple:
        body = memoryview(blob)[28 + n_json: 28 + n_json + n_bin]

        def array(i: int, dtypes: dict[int, str], width: int) -> np.ndarray | None:
            acc = tree["accessors"][i]
            view = tree["bufferViews"][acc["bufferView"]]
            dtype = dtypes.get(acc["componentType"])
            if dtype is None or view.get("byteStride") or view.get("buffer", 0):
                return None
            start = view.get("byteOffset", 0) + acc.get("byteOffset", 0)
            return np.frombuffer(body, dtype=dtype, count=acc["count"] * width, offset=start).reshape(-1, width)

        pos = array(prim["attributes"]["POSITION"], {5126: "<f4"}, 3)
        idx = array(prim["indices"], {5125: "<u4", 5123: "<u2"}, 1) if "indices" in prim else None
        if pos is not None and idx is not None and len(idx) % 3 == 0:
            if not len(idx):
                return None
            return pos.astype(float) + (origin[0], origin[1], 0.0), idx.reshape(-1, 3).astype(np.int64)
    return read_model_mesh(ws, source, origin)


def _one_mesh(parts) -> object:
    """The models as one PolyData (cell data ``model``, ``height``), put together from their
    arrays: a PolyData per model merged by VTK (``pv.merge``) left ~30,000 Python objects in
    reference cycles on the district (430 models), which the collector then freed on the GUI
    thread (0.1-0.25 s, the window frozen)."""
    import pyvista as pv

    offsets = np.cumsum([0] + [len(v) for v, _t, _f, _h in parts[:-1]])
    verts = np.concatenate([v for v, _t, _f, _h in parts])
    tris = np.concatenate([t + o for (_v, t, _f, _h), o in zip(parts, offsets)])
    mesh = pv.PolyData(verts, np.column_stack([np.full(len(tris), 3), tris]).ravel())
    mesh.cell_data["model"] = np.concatenate([np.full(len(t), f, dtype=np.int64) for _v, t, f, _h in parts])
    mesh.cell_data["height"] = np.concatenate([np.full(len(t), h) for _v, t, _f, h in parts])
    return mesh


def _model_ground(ws, models, z, bounds) -> dict:
    """fid -> the terrain raster's height under each model's footprint (a point inside it), from
    its full-resolution pixels; the drawn terrain where the raster has no value, 0 without one."""
    pts = shapely.point_on_surface(np.asarray(models.geometry.values, dtype=object))
    xs, ys = shapely.get_x(pts), shapely.get_y(pts)
    layer = terrain_layer(ws)
    h = np.full(len(models), np.nan)
    if layer is not None and z is not None:
        from layers.raster import sample_points

        ok = ~np.isnan(xs)
        h[ok] = sample_points(ws.raster_bytes(layer), ws.crs, xs[ok], ys[ok])
        miss = np.isnan(h) & ok
        h[miss] = _terrain_z(z, bounds, xs[miss], ys[miss])
    return dict(zip(models.index, np.nan_to_num(h, nan=0.0)))


def extrusion_height_field(fields: dict[str, str]) -> tuple[str, float] | None:
    """(field, metres per unit) giving a footprint's height: a height field, else storeys x 3 m."""
    for name in HEIGHT_FIELDS:
        if name in fields:
            return name, 1.0
    for name in FLOOR_FIELDS:
        if name in fields:
            return name, STOREY_M
    return None


def _terrain_z(z: np.ndarray | None, bounds, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The drawn terrain's height at workspace points: bilinear on the (ny, nx) grid, row 0 north."""
    if z is None:
        return np.zeros(len(x))
    x0, y0, x1, y1 = bounds
    ny, nx = z.shape
    fx = np.clip((x - x0) / (x1 - x0) * (nx - 1), 0, nx - 1)
    fy = np.clip((y1 - y) / (y1 - y0) * (ny - 1), 0, ny - 1)
    i0, j0 = np.minimum(fy.astype(int), ny - 2), np.minimum(fx.astype(int), nx - 2)
    ty, tx = fy - i0, fx - j0
    top = z[i0, j0] * (1 - tx) + z[i0, j0 + 1] * tx
    bottom = z[i0 + 1, j0] * (1 - tx) + z[i0 + 1, j0 + 1] * tx
    return top * (1 - ty) + bottom * ty


def extrude_footprints(ws: Workspace, layer: str, bounds, terrain_z: np.ndarray | None, *, skip=None):
    """The footprints of ``layer`` inside ``bounds`` as one triangle mesh of walls and roofs in
    the scene's local coordinates, with cell data ``building`` (fid) and ``height``; and the
    number of footprints. ``skip``: polygons (BIM models) whose footprints are left out."""
    import pyvista as pv
    import shapely

    field_name, unit = extrusion_height_field(ws.fields(layer))
    gdf = ws.read_features(layer, bbox=bounds, columns=[field_name])
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    heights = pd.to_numeric(gdf[field_name], errors="coerce").to_numpy(dtype=float) * unit  # text -> NaN
    keep = np.isfinite(heights) & (heights > 0)
    geoms, fids, heights = np.asarray(gdf.geometry.values)[keep], gdf.index.to_numpy()[keep], heights[keep]
    bad = ~shapely.is_valid(geoms)
    if bad.any():  # a self-crossing outline would stop the roof triangulation
        geoms = geoms.copy()
        geoms[bad] = _sliced(shapely.make_valid, geoms[bad])
    if skip is not None and len(skip) and len(geoms):
        tree = shapely.STRtree(np.asarray(skip))
        inside = _sliced(shapely.point_on_surface, geoms)
        under = np.concatenate([tree.query(inside[i:i + SLICE], predicate="within")[0] + i
                                for i in range(0, len(inside), SLICE)])
        mask = np.ones(len(geoms), bool)
        mask[under] = False
        geoms, fids, heights = geoms[mask], fids[mask], heights[mask]
    if not len(geoms):
        return None, 0
    parts, owner = _sliced(shapely.get_parts, geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3  # lines or points in a collection stay flat
    parts, owner = parts[polygonal], owner[polygonal]
    if not len(parts):
        return None, 0
    rings, ring_part = _sliced(shapely.get_rings, parts, return_index=True)
    xy, vert_ring = shapely.get_coordinates(rings, return_index=True)
    vert_part = ring_part[vert_ring]
    vert_b = owner[vert_part]  # building of each ring vertex
    ground = _terrain_z(terrain_z, bounds, xy[:, 0], xy[:, 1])
    base = np.full(len(geoms), np.inf)
    np.minimum.at(base, vert_b, ground)
    base -= 0.5  # into the ground a little, so that no gap shows on a slope
    top = base + 0.5 + heights
    ox, oy = bounds[0], bounds[1]
    n = len(xy)
    local = xy - (ox, oy)
    verts = [np.column_stack([local, base[vert_b]]), np.column_stack([local, top[vert_b]])]
    # walls: a quad (two triangles) per ring segment
    seg = np.flatnonzero(vert_ring[:-1] == vert_ring[1:])
    walls = np.concatenate([np.column_stack([seg, seg + 1, n + seg + 1]), np.column_stack([seg, n + seg + 1, n + seg])])
    wall_b = np.concatenate([vert_b[seg], vert_b[seg]])
    # roofs: constrained Delaunay triangles of each polygon (holes respected), read from each
    # polygon's collection of triangles as coordinates (4 a triangle, closed), not as 120,000
    # triangle and ring objects made with the interpreter lock held (0.7 s, the GUI thread stopped)
    tri = _sliced(shapely.constrained_delaunay_triangles, parts)
    tri_part = np.repeat(np.arange(len(parts)), shapely.get_num_geometries(tri))
    tri_xy = shapely.get_coordinates(tri).reshape(-1, 4, 2)[:, :3].reshape(-1, 2)
    roof_b = owner[tri_part]
    verts.append(np.column_stack([tri_xy - (ox, oy), np.repeat(top[roof_b], 3)]))
    roofs = 2 * n + np.arange(len(tri_xy)).reshape(-1, 3)
    cells = np.concatenate([walls, roofs])
    cell_b = np.concatenate([wall_b, roof_b])
    mesh = pv.PolyData(np.concatenate(verts), np.column_stack([np.full(len(cells), 3), cells]).ravel())
    mesh.cell_data["building"] = fids[cell_b].astype(np.int64)
    mesh.cell_data["height"] = heights[cell_b]
    return mesh, int(len(np.unique(owner)))


#: geometries per shapely call in ``extrude_footprints``: a vectorised call that makes geometry
#: objects holds the interpreter lock throughout (0.2-0.4 s on the district's 61,000 footprints,
#: the GUI thread stopped meanwhile); slices of this size hold it a few ms each
SLICE = 4000


def _sliced(fn, geoms: np.ndarray, **kw):
    """``fn(geoms, **kw)`` a slice at a time, the results put together (with ``return_index``,
    the indices into ``geoms``)."""
    if len(geoms) <= SLICE:
        return fn(geoms, **kw)
    starts = range(0, len(geoms), SLICE)
    outs = [fn(geoms[i:i + SLICE], **kw) for i in starts]
    if kw.get("return_index"):
        return np.concatenate([o[0] for o in outs]), np.concatenate([o[1] + i for o, i in zip(outs, starts)])
    return np.concatenate(outs)


def _base_map_texture(ws, bounds, px: int, layers):
    """The 2D map (same renderer and styles) as the terrain's texture."""
    import pyvista as pv

    from lzt.render.api import render_image

    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    width, height = (px, max(2, int(px * h / w))) if w >= h else (max(2, int(px * w / h)), px)
    # a raster service (天地图 imagery, a WMTS orthophoto...) is the ground when there is one, else the DEM's colours
    services = [i.name for i in ws.layers() if (i.details.get("service") or {}).get("raster")]
    ground = services[:1] or [terrain_layer(ws)]
    names = layers or [n for n in (*ground, "parcels", "roads", "supervision") if n and ws.has_layer(n)]
    img, _ = render_image(ws, bounds, width, height, names, dpi=96.0)
    from PySide6.QtGui import QImage

    img = img.convertToFormat(QImage.Format.Format_RGB888)
    arr = np.frombuffer(img.constBits(), dtype=np.uint8).reshape(img.height(), img.bytesPerLine())
    rgb = arr[:, : img.width() * 3].reshape(img.height(), img.width(), 3).copy()  # top row north, as pyvista expects
    return pv.Texture(rgb)


def detail_patch(ws: Workspace, scene: Scene, centre_xy: tuple[float, float], *, half: float = 500.0, px: int = 1024,
                 cells: int = 96):
    """A sharper piece of textured terrain (about 1 m per texture pixel) around a point of
    interest, in the scene's local coordinates: (StructuredGrid, Texture, local bounds) or None;
    the coarse terrain is cut away under it."""
    import pyvista as pv

    cx, cy = centre_xy
    x0, y0 = max(scene.bounds[0], cx - half), max(scene.bounds[1], cy - half)
    x1, y1 = min(scene.bounds[2], cx + half), min(scene.bounds[3], cy + half)
    if x1 - x0 < 10 or y1 - y0 < 10:
        return None
    z = dem_heights(ws, (x0, y0, x1, y1), cells, cells)
    if z is None:
        return None
    ox, oy = scene.origin
    gx, gy = np.meshgrid(np.linspace(x0 - ox, x1 - ox, cells), np.linspace(y1 - oy, y0 - oy, cells))
    grid = pv.StructuredGrid(gx, gy, z)
    grid.active_texture_coordinates = np.column_stack([(gx.ravel(order="F") - (x0 - ox)) / (x1 - x0),
                                                       (gy.ravel(order="F") - (y0 - oy)) / (y1 - y0)]
                                                      ).astype(np.float32)
    return grid, _base_map_texture(ws, (x0, y0, x1, y1), px, None), (x0 - ox, y0 - oy, x1 - ox, y1 - oy)
