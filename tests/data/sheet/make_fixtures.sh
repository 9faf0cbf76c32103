#!/bin/sh
# Regenerates fixture.xlsx and fixture.ods with GDAL's ogr2ogr (committed;
# run from this directory). Sheets:
#   Daten  - header row 1, numeric cells (AUTODETECT_TYPE makes them numbers)
#   Titel  - title row, group row, header on row 3 with A3 empty and its text
#            in A2 (as in a vertically merged header), a blank row
#   Fehler - a header cell empty although its column holds data
#   Doppelt - a duplicate column name
# Columns named Field1..FieldN are not written as a header row by the XLSX
# driver, so those sheets start exactly with the CSV's second line.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'Stadtteil,Einwohner,Anteil\nM\303\274hlenkamp,1675,9.7\nGro\303\237 Borstel,9085,12.25\nSt. Georg,11358,-3.5\n' > "$tmp/Daten.csv"
printf 'Field1,Field2,Field3\nStatistische Daten (Beispiel),,\nStadtgebiet,Bev\303\266lkerung,\n,Einwohner,Anteil in %%\nAltona,.,-\n,,\nHafenCity,1914,12.6\n' > "$tmp/Titel.csv"
printf 'Field1,Field2,Field3\nStadtteil,,Anteil\nAltona,5,1.5\n' > "$tmp/Fehler.csv"
printf 'Field1,Field2\na,a\n1,2\n' > "$tmp/Doppelt.csv"
rm -f fixture.xlsx fixture.ods
ogr2ogr -f XLSX fixture.xlsx "$tmp/Daten.csv" -oo AUTODETECT_TYPE=YES -nln Daten
for s in Titel Fehler Doppelt; do
    ogr2ogr -f XLSX -update fixture.xlsx "$tmp/$s.csv" -nln "$s"
done
ogr2ogr -f ODS fixture.ods "$tmp/Daten.csv" -oo AUTODETECT_TYPE=YES -nln Daten
