/* Injected by tests/cli/test_webmap.c at the end of a copy of report.html: exercises the
 * interactive map like a planner would and writes what it saw into <pre id="qtr-test">,
 * one "name=value" per line (headless Chromium --dump-dom). The page's errors are caught
 * by the handler injected at the top of <head> (window.__qtrErrors). */
setTimeout(function () {
  var R = [], W = window.quartierWebmap, D = window.QTR_WEBMAP, map;
  function put(k, v) { R.push(k + '=' + String(v).replace(/\n/g, ' ')); }
  try {
    put('webmap', W ? 1 : 0);
    put('districts', D.f.length);
    put('features', W.features.filter(Boolean).length);
    put('paths', document.querySelectorAll('#qtr-wm-map path.leaflet-interactive').length);
    put('layers', W.layers);
    put('options', document.getElementById('qtr-wm-layer').options.length);
    /* the largest district, zoomed to, clicked where the browser finds its own shape */
    var best = -1, ba = 0;
    W.features.forEach(function (p, i) {
      if (!p) return;
      var b = p.getBounds(), a = (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
      if (a > ba) { ba = a; best = i; }
    });
    var p = W.features[best];
    document.getElementById('qtr-webmap').scrollIntoView();
    W.map.fitBounds(p.getBounds(), { animate: false });
    var r = p._path.getBoundingClientRect(), hit = null;
    for (var gy = 0; gy < 25 && !hit; gy++)
      for (var gx = 0; gx < 25 && !hit; gx++) {
        var x = r.left + r.width * (gx + 0.5) / 25, y = r.top + r.height * (gy + 0.5) / 25;
        if (document.elementFromPoint(x, y) === p._path) hit = [x, y];
      }
    put('hit', hit ? 1 : 0);
    put('name', D.names[best]);
    put('key', D.keys[best]);
    put('parent', D.parents[best]);
    if (hit) {
      var o = { bubbles: true, cancelable: true, view: window, clientX: hit[0], clientY: hit[1] };
      p._path.dispatchEvent(new MouseEvent('mousedown', o));
      p._path.dispatchEvent(new MouseEvent('mouseup', o));
      p._path.dispatchEvent(new MouseEvent('click', o));
    }
    var pc = document.querySelector('.leaflet-popup-content');
    put('popup', pc ? pc.textContent : '');
    /* another layer: the legend and the open popup follow */
    var sel = document.getElementById('qtr-wm-layer');
    var last = sel.options.length - 1;
    sel.selectedIndex = last;
    sel.dispatchEvent(new Event('change'));
    put('current', W.current());
    pc = document.querySelector('.leaflet-popup-content');
    put('popup2', pc ? pc.textContent : '');
    put('legend2', document.getElementById('qtr-wm-legend').textContent);
    put('fill2', p._path.getAttribute('fill'));
    put('scale', document.querySelector('.leaflet-control-scale-line').textContent);
    /* the search box: the first district by its key */
    var first = 0;
    while (!W.features[first]) first++;
    W.find.value = D.keys[first];
    W.find.dispatchEvent(new Event('change'));
    /* (the popup closed before fades out for 200 ms: read the district's own popup) */
    var fp = W.features[first];
    put('findname', D.names[first] || D.keys[first]);
    put('found', fp.isPopupOpen()
      ? fp.getPopup().getElement().querySelector('.leaflet-popup-content').textContent : '');
    /* the keyboard: the map takes focus (Leaflet's keyboard pan and zoom), the layer switch
     * and the search box are in the tab order, the districts are one tab stop; an arrow key
     * goes to the next district, Enter opens its popup (with a focusable close button),
     * Escape closes it */
    map = document.getElementById('qtr-wm-map');
    put('maptab', map.getAttribute('tabindex'));
    put('seltab', sel.tabIndex >= 0 && !sel.disabled ? 1 : 0);
    put('findtab', W.find.tabIndex >= 0 ? 1 : 0);
    var tabbed = document.querySelectorAll('#qtr-wm-map path[tabindex="0"]').length;
    var focusable = document.querySelectorAll('#qtr-wm-map path[tabindex]').length;
    put('kbstops', tabbed + ' ' + focusable);
    W.map.closePopup();
    var k0 = W.features[W.order[0]].getElement(), k1 = W.features[W.order[1]].getElement();
    function key(el, k) {
      el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
    }
    k0.focus();
    put('kbfocus0', document.activeElement === k0 ? 1 : 0);
    key(k0, 'ArrowRight');
    put('kbfocus1', document.activeElement === k1 ? 1 : 0);
    put('kbname', D.names[W.order[1]] || D.keys[W.order[1]]);
    key(k1, 'Enter');
    var kp = W.features[W.order[1]];
    put('kbpopup', kp.isPopupOpen()
      ? kp.getPopup().getElement().querySelector('.leaflet-popup-content').textContent : '');
    var close = kp.isPopupOpen() ? kp.getPopup().getElement().querySelector('a') : null;
    put('kbclose', close && close.tabIndex >= 0 ? 1 : 0);
    key(k1, 'Escape');
    put('kbclosed', kp.isPopupOpen() ? 0 : 1);
    var ext = performance.getEntriesByType('resource').map(function (e) { return e.name; })
      .filter(function (n) { return n.indexOf('data:') !== 0; });
    put('resources', ext.length + (ext.length ? ' ' + ext.join(' ') : ''));
  } catch (e) {
    put('exception', e && e.stack ? e.stack : e);
  }
  put('errors', (window.__qtrErrors || []).length + ' ' + (window.__qtrErrors || []).join(' | '));
  var pre = document.createElement('pre');
  pre.id = 'qtr-test';
  pre.textContent = '\n' + R.join('\n') + '\n';
  document.body.appendChild(pre);
}, 300);
