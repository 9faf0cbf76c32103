#!/usr/bin/python3
"""Headless QGIS check of a PostGIS output (tests/cli/test_pg_sink.c).

  /usr/bin/python3 qgis_pg_check.py --conn "host=... dbname=... user=..." --schema NAME \
      --gpkg quartier.gpkg

Every layer of the GeoPackage (but layer_styles) is opened from the schema with QGIS's
'postgres' provider: it must be valid and hold as many features as the GeoPackage. Each
layer with a geometry must come up with the default style QGIS loads from PostgreSQL's
layer_styles: the same renderer (type, class attribute, symbols and their colours) as the same
layer opened from the GeoPackage, not QGIS's unstyled single symbol in a random colour. The columns of the districts carry the
descriptions of gpkg_data_columns as comments. Exit status 0 = pass, 1 = fail.
"""
import argparse
import os
import sys
import sqlite3
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if "XDG_RUNTIME_DIR" not in os.environ:
    rt = os.path.join(tempfile.gettempdir(), "runtime-%d" % os.getuid())
    os.makedirs(rt, mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = rt

from qgis.core import QgsApplication, QgsVectorLayer  # noqa: E402


def renderer_of(layer):
    r = layer.renderer()
    if r is None:
        return ("none", "")
    attr = r.classAttribute() if hasattr(r, "classAttribute") else ""
    # the dump names the symbols with their colours: QGIS's unstyled default has a random one
    return (r.type(), attr, r.dump())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conn", required=True)
    ap.add_argument("--schema", required=True)
    ap.add_argument("--gpkg", required=True)
    a = ap.parse_args()

    app = QgsApplication([], False)
    app.initQgis()
    failures = []
    db = sqlite3.connect(a.gpkg)
    tables = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents ORDER BY table_name")
              if r[0] != "layer_styles"]
    spatial = {r[0]: r[1] for r in db.execute(
        "SELECT table_name, column_name FROM gpkg_geometry_columns")}
    styled = 0
    for t in tables:
        geom = spatial.get(t)
        uri = "%s key='fid' table=\"%s\".\"%s\"%s" % (a.conn, a.schema, t,
                                                       " (%s)" % geom if geom else "")
        pg = QgsVectorLayer(uri, t, "postgres")
        if not pg.isValid():
            failures.append("%s: not valid from PostgreSQL (%s)" % (t, uri))
            continue
        gp = QgsVectorLayer("%s|layername=%s" % (a.gpkg, t), t, "ogr")
        if pg.featureCount() != gp.featureCount():
            failures.append("%s: %d features in PostgreSQL, %d in the GeoPackage"
                            % (t, pg.featureCount(), gp.featureCount()))
        if geom:
            want, got = renderer_of(gp), renderer_of(pg)
            print("%s: renderer %s on '%s' (GeoPackage: %s on '%s')"
                  % (t, got[0], got[1], want[0], want[1]))
            if got != want:
                failures.append("%s: not styled from layer_styles: %s, expected %s"
                                % (t, got[:2], want[:2]))
            else:
                styled += 1
        for col, desc in db.execute(
                "SELECT column_name, description FROM gpkg_data_columns WHERE table_name = ? "
                "AND description <> ''", (t,)):
            i = pg.fields().indexOf(col)
            if i < 0 or pg.fields().at(i).comment() != desc:
                failures.append("%s.%s: comment %r, expected %r"
                                % (t, col, pg.fields().at(i).comment() if i >= 0 else None, desc))
                break
    if styled == 0:
        failures.append("no styled layer")
    for f in failures:
        print("FAIL " + f)
    print("VERDICT: %s (%d tables, %d styled)" % ("FAIL" if failures else "PASS", len(tables),
                                                  styled))
    sys.stdout.flush()
    # QgsApplication.exitQgis() after postgres layers crashes QGIS 3.22 at exit: leave at once
    os._exit(1 if failures else 0)


if __name__ == "__main__":
    main()
