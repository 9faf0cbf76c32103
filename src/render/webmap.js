/* quartier: the interactive map of report.html (src/render/webmap.c, docs/report.md).
 * QTR_WEBMAP holds the districts once (rings on a grid of `step` metres, delta-coded, in the
 * work CRS) and each layer as one class character per district ('-' = no data). */
(function () {
  'use strict';
  var D = window.QTR_WEBMAP, U = D.ui;
  var box = document.getElementById('qtr-wm-map');
  var sel = document.getElementById('qtr-wm-layer');
  var legend = document.getElementById('qtr-wm-legend');
  var sub = document.getElementById('qtr-wm-sub');
  if (!box || !window.L || !D.layers.length) return;
  var step = D.step, NS = 'http' + '://www.w3.org/2000/svg';

  /* the work CRS in metres from the grid origin: L.CRS.Simple measures in map units */
  var map = L.map(box, {
    crs: L.CRS.Simple, minZoom: -30, maxZoom: 30, zoomSnap: 0.25, zoomDelta: 0.5,
    scrollWheelZoom: false, keyboard: true, keyboardPanDelta: 80,
    attributionControl: false, zoomControl: false, doubleClickZoom: true
  });
  L.control.zoom({ zoomInTitle: U.zin, zoomOutTitle: U.zout }).addTo(map);
  L.control.scale({ imperial: false, maxWidth: 160 }).addTo(map);
  map.on('focus', function () { map.scrollWheelZoom.enable(); });
  map.on('blur', function () { map.scrollWheelZoom.disable(); });

  function ring(a) {
    var x = a[0], y = a[1], out = [[y * step, x * step]];
    for (var i = 2; i + 1 < a.length; i += 2) {
      x += a[i]; y += a[i + 1];
      out.push([y * step, x * step]);
    }
    return out;
  }
  function polygons(f) {
    var P = [], cur = null;
    for (var i = 0; i < f.r.length; i++) {
      var hole = f.h && f.h.indexOf(i) >= 0, ll = ring(f.r[i]);
      if (!hole || !cur) { cur = [ll]; P.push(cur); } else cur.push(ll);
    }
    return P;
  }
  function text(s) { return s === null || s === undefined ? '' : String(s); }

  var cur = 0, features = [], bounds = null;
  function line(parent, label, value) {
    var d = document.createElement('div');
    if (label) {
      var b = document.createElement('b');
      b.textContent = label + ': ';
      d.appendChild(b);
    }
    d.appendChild(document.createTextNode(value));
    parent.appendChild(d);
  }
  function popup(i) {
    var lay = D.layers[cur], el = document.createElement('div');
    el.className = 'wm-pop';
    var name = text(D.names[i]) || text(D.keys[i]) || U.unnamed;
    var h = document.createElement('div');
    var s = document.createElement('strong');
    s.textContent = name;
    h.appendChild(s);
    el.appendChild(h);
    if (text(D.keys[i])) line(el, U.key, D.keys[i]);
    if (text(D.parents[i]))
      line(el, U.parentLabel || U.parent, D.parents[i]);
    var c = lay.k.charAt(i), cl = c === '-' ? lay.nd : lay.l[parseInt(c, 36)];
    if (lay.v) {
      line(el, lay.t || lay.lt, text(lay.v[i]) || lay.nd);
      if (c !== '-') line(el, U.cls, cl);
    } else if (lay.l.length > 1 || c === '-') {
      line(el, lay.lt || lay.t, cl);
    }
    return el;
  }

  D.f.forEach(function (f, i) {
    if (!f.r.length) { features.push(null); return; }
    var p = L.polygon(polygons(f), {
      color: '#595959', weight: 0.6, opacity: 1, fillOpacity: 1, fillColor: '#ccc'
    });
    p.bindPopup(function () { return popup(i); }, { maxWidth: 320 });
    p.on('mouseover', function () { p.setStyle({ weight: 2.5, color: '#111' }); p.bringToFront(); });
    p.on('mouseout', function () {
      if (document.activeElement !== p.getElement()) p.setStyle({ weight: 0.6, color: '#595959' });
    });
    p.addTo(map);
    features.push(p);
    var b = p.getBounds();
    bounds = bounds ? bounds.extend(b) : L.latLngBounds(b.getSouthWest(), b.getNorthEast());
  });
  var overlays = D.o.map(function (o) {
    var g = L.layerGroup();
    o.forEach(function (f) {
      if (f.r.length)
        L.polygon(polygons(f), { fill: false, interactive: false, weight: 1.8 }).addTo(g);
    });
    return g;
  });
  if (!bounds) return;
  map.fitBounds(bounds, { padding: [6, 6] });
  var z = map.getZoom();
  /* an island far out (an inset on the static maps) is left out of the first view */
  if (D.home)
    map.fitBounds([[D.home[1] * step, D.home[0] * step], [D.home[3] * step, D.home[2] * step]],
                  { padding: [6, 6] });
  map.setMinZoom(z - 1);
  map.setMaxZoom(z + 6);
  map.setMaxBounds(bounds.pad(0.6));

  /* "keine Angabe": the static maps' hatching, as an SVG pattern in Leaflet's renderer */
  var svg = map.getPanes().overlayPane.querySelector('svg'), pat = null, patbg = null;
  if (svg) {
    var defs = document.createElementNS(NS, 'defs');
    pat = document.createElementNS(NS, 'pattern');
    pat.setAttribute('id', 'qtr-wm-hatch');
    pat.setAttribute('patternUnits', 'userSpaceOnUse');
    pat.setAttribute('width', '5');
    pat.setAttribute('height', '5');
    pat.setAttribute('patternTransform', 'rotate(45)');
    patbg = document.createElementNS(NS, 'rect');
    patbg.setAttribute('width', '5');
    patbg.setAttribute('height', '5');
    var ln = document.createElementNS(NS, 'line');
    ln.setAttribute('x1', '0'); ln.setAttribute('y1', '0');
    ln.setAttribute('x2', '0'); ln.setAttribute('y2', '5');
    ln.setAttribute('stroke-width', '1.4');
    pat.appendChild(patbg);
    pat.appendChild(ln);
    defs.appendChild(pat);
    svg.insertBefore(defs, svg.firstChild);
  }

  function swatch(color, hatch, nd) {
    var s = document.createElement('span');
    s.className = 'wm-sw';
    s.style.background = hatch
      ? 'repeating-linear-gradient(45deg,' + hatch + ' 0 1px,' + nd + ' 1px 4px)' : color;
    return s;
  }
  function item(sw, label) {
    var d = document.createElement('div');
    d.className = 'wm-li';
    d.appendChild(sw);
    d.appendChild(document.createTextNode(label));
    legend.appendChild(d);
  }
  function drawLegend(lay) {
    legend.textContent = '';
    var t = document.createElement('div');
    t.className = 'wm-lt';
    t.textContent = text(lay.lt || lay.t);
    legend.appendChild(t);
    if (lay.grid) {
      var g = lay.grid, tab = document.createElement('table'), tr, td;
      tab.className = 'wm-grid';
      tr = tab.insertRow();
      td = tr.insertCell(); td.textContent = text(g.rt);
      for (var c = 0; c < g.cols; c++) { td = tr.insertCell(); td.textContent = text(g.cl[c]); }
      for (var r = 0; r < g.rows; r++) {
        tr = tab.insertRow();
        td = tr.insertCell(); td.textContent = text(g.rl[r]);
        for (c = 0; c < g.cols; c++) {
          td = tr.insertCell();
          td.className = 'c';
          td.style.background = lay.c[r * g.cols + c];
          td.title = text(lay.l[r * g.cols + c]);
        }
      }
      if (g.ct) {
        var ct = document.createElement('div');
        ct.textContent = g.ct + ' \u2192';
        legend.appendChild(ct);
      }
      legend.appendChild(tab);
    } else {
      for (var k = 0; k < lay.l.length; k++) item(swatch(lay.c[k]), text(lay.l[k]));
    }
    if (lay.k.indexOf('-') >= 0)
      item(lay.nds ? swatch(lay.ndc) : swatch(null, lay.hatch, lay.ndc), text(lay.nd));
    if (lay.ov) {
      var o = swatch('transparent');
      o.className += ' wm-ov';
      o.style.borderColor = lay.ov.c;
      item(o, text(lay.ov.l));
    }
    var src = document.createElement('div');
    src.className = 'wm-src';
    src.textContent = [text(lay.src), text(lay.date)].filter(Boolean).join(' \u00b7 ');
    legend.appendChild(src);
  }

  function show(li) {
    var lay = D.layers[li];
    if (!lay) return;
    cur = li;
    if (patbg) {
      patbg.setAttribute('fill', lay.ndc);
      pat.lastChild.setAttribute('stroke', lay.hatch);
    }
    features.forEach(function (p, i) {
      if (!p) return;
      var c = lay.k.charAt(i);
      p.setStyle({
        fillColor: c === '-' ? (lay.nds || !pat ? lay.ndc : 'url(#qtr-wm-hatch)')
          : lay.c[parseInt(c, 36)]
      });
      if (p.isPopupOpen()) p.setPopupContent(popup(i));
    });
    overlays.forEach(function (g, k) {
      if (lay.ov && lay.ov.i === k) {
        g.eachLayer(function (l) { l.setStyle({ color: lay.ov.c }); });
        g.addTo(map);
      } else {
        map.removeLayer(g);
      }
    });
    sub.textContent = text(lay.s);
    drawLegend(lay);
    if (sel.selectedIndex !== li) sel.selectedIndex = li;
  }
  sel.addEventListener('change', function () { show(sel.selectedIndex); });

  /* finding a district by name or key: zoom to it and open its popup */
  var find = document.getElementById('qtr-wm-find'), list = document.getElementById('qtr-wm-names');
  function label(i) {
    var n = text(D.names[i]), k = text(D.keys[i]);
    return n && k ? n + ' (' + k + ')' : n || k;
  }
  if (find && list) {
    features.forEach(function (p, i) {
      if (!p) return;
      var o = document.createElement('option');
      o.value = label(i);
      list.appendChild(o);
    });
    find.addEventListener('change', function () {
      var v = find.value.trim().toLowerCase();
      if (!v) return;
      for (var i = 0; i < features.length; i++) {
        var p = features[i];
        if (p && (label(i).toLowerCase() === v || text(D.keys[i]).toLowerCase() === v ||
                  text(D.names[i]).toLowerCase() === v)) {
          map.fitBounds(p.getBounds(), { maxZoom: map.getZoom() + 3 });
          p.openPopup(p.getCenter());
          district(order.indexOf(i)); /* Tab from the map goes on from here */
          return;
        }
      }
    });
  }
  /*
   * The keyboard: Tab reaches the layer switch, the search box, the map (arrow keys pan,
   * + and - zoom: Leaflet's keyboard handler) and then the districts, one tab stop for all
   * of them: arrow keys go to the next or previous district, Home and End to the first and
   * last, Enter or Space opens the district's popup (Tab then reaches its close button),
   * Escape closes it.
   */
  var order = [], focusAt = 0;
  features.forEach(function (p, i) { if (p) order.push(i); });
  function district(k) {
    var p = features[order[k]];
    order.forEach(function (i, j) {
      features[i].getElement().setAttribute('tabindex', j === k ? '0' : '-1');
    });
    focusAt = k;
    return p;
  }
  function focusDistrict(k) {
    var p = district(k), c = p.getBounds().getCenter();
    if (!map.getBounds().contains(c)) map.panTo(c, { animate: false });
    p.bringToFront(); /* before the focus: moving the element in the DOM would blur it */
    p.getElement().focus({ preventScroll: true });
  }
  order.forEach(function (i, k) {
    var p = features[i], el = p.getElement();
    el.setAttribute('tabindex', k === 0 ? '0' : '-1');
    el.setAttribute('role', 'button');
    el.setAttribute('aria-label', label(i));
    el.addEventListener('focus', function () {
      focusAt = k;
      p.setStyle({ weight: 2.5, color: '#111' });
    });
    el.addEventListener('blur', function () { p.setStyle({ weight: 0.6, color: '#595959' }); });
    el.addEventListener('keydown', function (e) {
      var n = order.length, to = -1;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = (k + 1) % n;
      else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = (k + n - 1) % n;
      else if (e.key === 'Home') to = 0;
      else if (e.key === 'End') to = n - 1;
      else if (e.key === 'Enter' || e.key === ' ') p.openPopup(p.getBounds().getCenter());
      else if (e.key === 'Escape') map.closePopup();
      else return;
      e.preventDefault();
      e.stopPropagation();
      if (to >= 0) focusDistrict(to);
    });
  });
  /* Escape in an open popup closes it and goes back to its district */
  map.on('popupopen', function (ev) {
    var el = ev.popup.getElement();
    if (el) el.addEventListener('keydown', function (e) {
      if (e.key !== 'Escape') return;
      map.closePopup();
      focusDistrict(focusAt);
    });
  });

  show(0);
  window.quartierWebmap = {
    map: map, features: features, layers: D.layers.length, show: show, find: find,
    current: function () { return cur; }, order: order
  };
})();
