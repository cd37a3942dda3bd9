
(function () {
  var me = document.currentScript;
  var path = me.getAttribute("data-waymark-path");
  var seen = Number(me.getAttribute("data-waymark-generation"));
  var instance = me.getAttribute("data-waymark-instance");
  var events = new EventSource(me.getAttribute("data-waymark-events"));
  function reload() { events.close(); location.reload(); }
  function swap(style) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin || url.pathname !== "/" + style) continue;
      url.searchParams.set("waymark", String(Date.now()));
      var fresh = link.cloneNode(false);
      fresh.href = url.href;
      fresh.onload = fresh.onerror = function (old) {
        return function () { old.remove(); };
      }(link);
      link.parentNode.insertBefore(fresh, link.nextSibling);
    }
  }
  events.addEventListener("hello", function (e) {
    var hello = JSON.parse(e.data);
    if (hello.instance !== instance || hello.generation !== seen) reload();
  });
  events.addEventListener("change", function (e) {
    var change = JSON.parse(e.data);
    seen = change.generation;
    if (change.all || change.other || change.pages.indexOf(path) >= 0) { reload(); return; }
    change.styles.forEach(swap);
  });
})();
