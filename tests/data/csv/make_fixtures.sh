#!/bin/sh
# Regenerates the CSV fixtures byte for byte (printf, so encodings and line
# ends are exact). Run from this directory; the outputs are committed.
set -eu

# Windows-1252, CRLF: ü=FC ß=DF ä=E4 ö=F6, en dash 0x96 as the "nothing" mark.
printf 'Stadtteil;Einwohner;Anteil in %%\r\nM\374hlenkamp;1.675;9,7\r\nGro\337 Borstel;\226;.\r\nB\344ren\366d;12;3,5\r\n' > cp1252_crlf.csv

# UTF-8 with BOM, LF.
printf '\357\273\277Stadtteil;Einwohner\nM\303\274hlenkamp;1.675\nGro\303\237 Borstel;9\n' > utf8_bom.csv

# UTF-8 without BOM, CR only (classic Mac).
printf 'Stadtteil;Einwohner\rM\303\274hlenkamp;1.675\rGro\303\237 Borstel;9\r' > utf8_cr.csv

# Tab-separated, decimal point, thousands comma.
printf 'name\tpopulation\tshare\nSt. Georg\t11,358\t0.25\nSt. Pauli\t21,904\t0.31\n' > tab.tsv

# Comma-separated, RFC 4180 quotes with separators, "" and a line break inside.
printf 'name,note,value\r\n"Altona, Nord","said ""hi""",1.5\r\n"Line\r\nbreak","a;b;c",2\r\nplain,,3.25\r\n' > comma_quotes.csv

# Hamburg style: two title rows, header on row 3, padded cells, trailing ';'
# (an empty unnamed column), a blank row and "-  23", ".", "-" marks.
printf 'Statistische Daten zu den Stadtteilen Hamburgs;;;\nStand 31.12.2013;;;\nStadtgebiet;Bev\303\266lkerung;Anteil in %%;\nHamburg-Altstadt; 1 675    ; 9,7    ;\nHafenCity;-  23    ;.;\n;;;\nNeustadt; 12 301    ;-;\n' > hamburg_style.csv

# UTF-16LE with BOM, CRLF (Excel "Unicode text" is tab-separated UTF-16LE).
printf '\377\376' > utf16le_bom.txt
printf 'Stadtteil\tEinwohner\r\nM\303\274hlenkamp\t1675\r\n' | iconv -f UTF-8 -t UTF-16LE >> utf16le_bom.txt
