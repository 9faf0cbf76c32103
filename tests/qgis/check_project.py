#!/usr/bin/python3
"""check_project.py - open the QGIS project quartier stores in its GeoPackage with
QGIS itself (headless) and check what a planner gets on opening it.

  /usr/bin/python3 tests/qgis/check_project.py --gpkg OUT/quartier.gpkg [--png-dir DIR]
      [--lang de|en] [--expect-status] [--move]

Checks: the project loads from the GeoPackage (geopackage: URI), every layer is
valid and reads from the GeoPackage the project is stored in, the project CRS is
the districts' CRS, the layer tree has its groups in order (renewal first, the
tables without geometry last in "Tabellen"/"Tables"), the layer visible on
opening is the status map, every thematic layer has a classified renderer (not
a single symbol), every field has an alias, and each print layout has map,
legend, scale bar, north arrow, title and source line and exports to PNG.
--move copies the GeoPackage into another folder first and opens the copy: the
layers must come from the copy (datasources relative to the GeoPackage).
Exit status 0 when every check passes, 1 otherwise (the failures are printed).
"""
import argparse
import os
import shutil
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsLayoutExporter, QgsLayoutItemLabel,  # noqa: E402
                       QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutItemPicture,
                       QgsLayoutItemScaleBar, QgsLayoutItemShape, QgsLayerTree, QgsProject,
                       QgsVectorLayer)

GROUPS = {
    "de": ["Stadterneuerung", "Bevölkerung", "Indikatoren", "Räumliche Cluster", "Gebiete",
           "Tabellen"],
    "en": ["Urban renewal", "Population", "Indicators", "Spatial clusters", "Districts",
           "Tables"],
}

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gpkg", required=True)
    ap.add_argument("--png-dir")
    ap.add_argument("--lang", default="de", choices=["de", "en"])
    ap.add_argument("--expect-status", action="store_true",
                    help="the run has renewal classes: the status map must open")
    ap.add_argument("--move", action="store_true")
    a = ap.parse_args()

    gpkg = os.path.abspath(a.gpkg)
    tmp = None
    if a.move:
        tmp = tempfile.mkdtemp(prefix="qtr-moved-")
        moved = os.path.join(tmp, os.path.basename(gpkg))
        shutil.copyfile(gpkg, moved)
        gpkg = moved

    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    uri = "geopackage:%s?projectName=quartier" % gpkg
    if not project.read(uri):
        fail("QgsProject.read(%s) failed: %s" % (uri, project.error()))
        return finish(app, tmp)
    print("project:", project.title(), "|", len(project.mapLayers()), "layers,",
          len(project.layoutManager().layouts()), "layouts")

    # layers valid, from this GeoPackage
    folder = os.path.dirname(gpkg)
    districts_crs = None
    for lyr in project.mapLayers().values():
        if not lyr.isValid():
            fail("layer %r is not valid (source %s)" % (lyr.name(), lyr.source()))
            continue
        src = lyr.source().split("|")[0]
        if os.path.abspath(src) != gpkg:
            fail("layer %r reads %s, not the GeoPackage the project is in (%s)"
                 % (lyr.name(), src, gpkg))
        if "layername=districts" in lyr.source():
            districts_crs = lyr.crs()
    if districts_crs is None:
        fail("no layer shows the districts")
    elif project.crs() != districts_crs:
        fail("project CRS %s is not the districts' CRS %s"
             % (project.crs().authid(), districts_crs.authid()))
    else:
        print("CRS:", project.crs().authid() or project.crs().description())
    if not folder:
        fail("no folder")

    # layer tree: groups in order, tables last
    root = project.layerTreeRoot()
    names = GROUPS[a.lang]
    groups = [c for c in root.children() if QgsLayerTree.isGroup(c)]
    order = [names.index(g.name()) if g.name() in names else -1 for g in groups]
    if -1 in order or order != sorted(order):
        fail("groups %s are not in the order %s" % ([g.name() for g in groups], names))
    print("groups:", ", ".join("%s (%d)" % (g.name(), len(g.findLayers())) for g in groups))
    for g in groups:
        for node in g.findLayers():
            lyr = node.layer()
            if lyr is None:
                fail("layer tree node %r has no layer" % node.name())
                continue
            spatial = lyr.isSpatial()
            if (g.name() == names[5]) == spatial:
                fail("layer %r: %s but in group %r" % (lyr.name(), "spatial" if spatial
                                                        else "a table", g.name()))
            # thematic layers: classified, never one symbol for all
            if (g.name() in names[:4] and "layername=districts" in lyr.source()):
                rtype = lyr.renderer().type()
                if rtype == "singleSymbol":
                    fail("thematic layer %r has a single-symbol renderer" % lyr.name())
    if groups and a.expect_status and groups[0].name() != names[0]:
        fail("the first group is %r, not %r" % (groups[0].name(), names[0]))

    # the layer shown on opening: the status classes
    shown = [n.layer() for n in root.findLayers()
             if n.isVisible() and n.layer() and "layername=districts" in n.layer().source()]
    if len(shown) != 1:
        fail("%d districts layers visible on opening, expected 1: %s"
             % (len(shown), [s.name() for s in shown]))
    elif a.expect_status:
        r = shown[0].renderer()
        attr = r.classAttribute() if hasattr(r, "classAttribute") else ""
        if r.type() != "categorizedSymbol" or attr not in ("status_class", "status_code"):
            fail("the visible layer %r is not the status map (%s on %r)"
                 % (shown[0].name(), r.type(), attr))
        else:
            print("visible on opening:", shown[0].name(), "(%s, %d classes)"
                  % (attr, len(r.categories())))

    # aliases: every field, the GeoPackage's fid too
    missing = 0
    for lyr in project.mapLayers().values():
        if not isinstance(lyr, QgsVectorLayer):
            continue
        for i, f in enumerate(lyr.fields()):
            if not lyr.attributeAlias(i):
                missing += 1
                if missing <= 10:
                    fail("layer %r: field %r has no alias" % (lyr.name(), f.name()))
    if missing > 10:
        fail("... %d fields without alias in all" % missing)

    # layouts
    layouts = project.layoutManager().printLayouts()
    if not layouts:
        fail("the project has no print layout")
    if a.expect_status and layouts:
        m = layouts[0].itemById("map")
        lyrs = m.layers() if m else []
        if not lyrs or lyrs[-1].renderer().type() != "categorizedSymbol" or \
                lyrs[-1].renderer().classAttribute() not in ("status_class", "status_code"):
            fail("the first layout %r is not the status map" % layouts[0].name())
    if a.png_dir:
        os.makedirs(a.png_dir, exist_ok=True)
    for n, lay in enumerate(layouts):
        want = {"map": QgsLayoutItemMap, "legend": QgsLayoutItemLegend,
                "scalebar": QgsLayoutItemScaleBar, "north_arrow": QgsLayoutItemPicture,
                "title": QgsLayoutItemLabel, "source": QgsLayoutItemLabel}
        for item_id, cls in want.items():
            it = lay.itemById(item_id)
            if it is None or not isinstance(it, cls):
                fail("layout %r: no %s item %r" % (lay.name(), cls.__name__, item_id))
        m = lay.itemById("map")
        if isinstance(m, QgsLayoutItemMap):
            if not m.layers():
                fail("layout %r: the map shows no layer" % lay.name())
            if m.scale() <= 0:
                fail("layout %r: map scale %g" % (lay.name(), m.scale()))
        leg = lay.itemById("legend")
        if isinstance(leg, QgsLayoutItemLegend) and leg.model().rowCount() == 0:
            fail("layout %r: empty legend" % lay.name())
        # the status x dynamics map: its legend is the 4 x 3 grid of the report (rectangles
        # filled in the class colours, labelled rows and columns); the legend item keeps only
        # "not rated"
        mlyrs = m.layers() if isinstance(m, QgsLayoutItemMap) else []
        combined = any(getattr(x.renderer(), "classAttribute", lambda: "")() == "status_dynamics"
                       for x in mlyrs if isinstance(x, QgsVectorLayer))
        if combined and lay.itemById("grid_1_1") is None:
            fail("layout %r: the status x dynamics map has no grid legend" % lay.name())
        if lay.itemById("grid_1_1") is not None:
            cells = [lay.itemById("grid_%d_%d" % (r, c)) for r in range(1, 5) for c in range(1, 4)]
            if not all(isinstance(x, QgsLayoutItemShape) for x in cells):
                fail("layout %r: the grid legend has not 4 x 3 rectangles" % lay.name())
            elif len({x.symbol().color().name() for x in cells}) != 12:
                fail("layout %r: the grid legend's 12 rectangles are not 12 colours" % lay.name())
            for r in range(1, 5):
                lab = lay.itemById("grid_row_%d" % r)
                if not isinstance(lab, QgsLayoutItemLabel) or not lab.text().strip():
                    fail("layout %r: grid row %d has no label" % (lay.name(), r))
            shown = []
            if isinstance(leg, QgsLayoutItemLegend):
                for node in leg.model().rootGroup().findLayers():
                    shown += [x.data(0) for x in leg.model().layerLegendNodes(node)]
            if len(shown) != 1:
                fail("layout %r: the grid's legend item shows %r, not only 'not rated'"
                     % (lay.name(), shown))
            else:
                print("layout %r: 4 x 3 grid legend, then %r" % (lay.name(), shown[0]))
        na = lay.itemById("north_arrow")
        if isinstance(na, QgsLayoutItemPicture) and na.isMissingImage():
            fail("layout %r: the north arrow picture is missing" % lay.name())
        src = lay.itemById("source")
        if isinstance(src, QgsLayoutItemLabel) and not src.text().strip():
            fail("layout %r: empty source line" % lay.name())
        if a.png_dir:
            path = os.path.join(a.png_dir, "%02d.png" % n)
            s = QgsLayoutExporter.ImageExportSettings()
            s.dpi = 100
            res = QgsLayoutExporter(lay).exportToImage(path, s)
            if res != QgsLayoutExporter.Success or os.path.getsize(path) < 20000:
                fail("layout %r: PNG export failed (%s)" % (lay.name(), res))
        print("layout %02d: %s" % (n, lay.name()))
    return finish(app, tmp)


def finish(app, tmp):
    QgsProject.instance().clear()
    app.exitQgis()
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
