/* Waymark site search: reads the index Waymark writes under search/ (see src/search.rs) and
   shows results on the search page. No dependencies, no requests beyond this site. Loads the
   manifest, then only the term shards and document chunks the query needs. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-index]");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var base = form.getAttribute("data-index");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var PAGE = 10;
  var KINDS = { priority: "Priority", meeting: "Meeting", update: "Update", page: "Page", action: "Action" };
  var cache = {};
  document.documentElement.className += " search-ready";

  function load(path) {
    if (!cache[path]) {
      cache[path] = fetch(base + path).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      });
    }
    return cache[path];
  }

  function hex(text) {
    var bytes = new TextEncoder().encode(text), out = "";
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    return out;
  }

  // The same words the index holds (src/search.rs): runs of letters and digits of 2 to 40
  // characters, then lower-cased, stop words left out.
  function words(text, manifest) {
    var found = text.match(/[\p{Alphabetic}\p{N}]+/gu) || [], out = [];
    found.forEach(function (word) {
      var length = Array.from(word).length;
      word = word.toLowerCase();
      if (length >= manifest.min && length <= 40 && manifest.stop.indexOf(word) < 0 && out.indexOf(word) < 0) out.push(word);
    });
    return out;
  }

  // A word also finds longer words that start with it ("viol" finds "violence"), and a plural
  // finds its singular ("meetings" finds "meeting"). Such matches count for less than the word.
  function stem(word) {
    if (Array.from(word).length < 3) return null;
    var cut = word.replace(/(ies|es|s)$/, "");
    return Array.from(cut).length >= 3 ? cut : word;
  }

  function shardsFor(prefix, shards) {
    var keys = [], longest = null;
    shards.forEach(function (key) {
      if (prefix.indexOf(key) === 0 && (!longest || key.length > longest.length)) longest = key;
      else if (key.indexOf(prefix) === 0 && key.length > prefix.length) keys.push(key);
    });
    if (longest) keys.push(longest);
    return keys;
  }

  function postings(list) {
    var docs = new Map(), doc = 0;
    for (var i = 0; i < list.length; i += 2) {
      doc += list[i];
      docs.set(doc, list[i + 1]);
    }
    return docs;
  }

  // Scores for one query word: document number to score, or an empty map.
  function scoresFor(word, manifest) {
    var prefix = stem(word) || word;
    var keys = shardsFor(prefix, manifest.shards);
    return Promise.all(keys.map(function (key) { return load("terms/" + hex(key) + ".json"); }))
      .then(function (shards) {
        var scores = new Map();
        shards.forEach(function (shard) {
          Object.keys(shard).forEach(function (term) {
            var exact = term === word;
            if (!exact && !(stem(word) && term.indexOf(prefix) === 0)) return;
            var docs = postings(shard[term]);
            var rarity = Math.log(1 + manifest.docs / docs.size);
            docs.forEach(function (weight, doc) {
              var score = weight * rarity * (exact ? 1 : 0.5);
              scores.set(doc, Math.max(scores.get(doc) || 0, score));
            });
          });
        });
        return scores;
      });
  }

  function rank(perWord) {
    if (!perWord.length) return [];
    var total = new Map(perWord[0]);
    perWord.slice(1).forEach(function (scores) {
      total.forEach(function (score, doc) {
        if (scores.has(doc)) total.set(doc, score + scores.get(doc));
        else total.delete(doc);
      });
    });
    return Array.from(total.entries())
      .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; })
      .map(function (entry) { return entry[0]; });
  }

  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = -1;
    terms.forEach(function (term) {
      var i = lower.indexOf(term);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = at > 80 ? text.lastIndexOf(" ", at - 60) + 1 : 0;
    var cut = text.slice(start, start + 200);
    if (start + 200 < text.length) cut = cut.replace(/\s+\S*$/, "") + "…";
    return (start > 0 ? "…" : "") + cut;
  }

  // Appends `text` to `parent`, with every query term marked.
  function highlighted(parent, text, terms) {
    var pattern = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|");
    var parts = pattern ? text.split(new RegExp("(" + pattern + ")", "gi")) : [text];
    parts.forEach(function (part, i) {
      if (i % 2) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        parent.appendChild(mark);
      } else if (part) {
        parent.appendChild(document.createTextNode(part));
      }
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function result(doc, terms) {
    var item = element("li", "search-result");
    var heading = element("h2", "search-result-title");
    var link = element("a", "", doc.t);
    link.href = doc.u;
    heading.appendChild(link);
    item.appendChild(heading);
    var meta = element("p", "search-result-meta");
    meta.appendChild(element("span", "kind-label", KINDS[doc.k] || doc.k));
    var facts = (doc.k === "priority" ? [doc.s, doc.d && "last updated " + doc.d]
      : doc.k === "action" ? [doc.d && "due " + doc.d, doc.s] : [doc.d, doc.s])
      .filter(Boolean).join(" · ");
    if (facts) meta.appendChild(document.createTextNode(" " + facts));
    item.appendChild(meta);
    if (doc.x) {
      var text = element("p", "search-result-snippet");
      highlighted(text, snippet(doc.x, terms), terms);
      item.appendChild(text);
    }
    return item;
  }

  function docs(numbers, manifest) {
    var chunks = [];
    numbers.forEach(function (n) {
      var chunk = Math.floor(n / manifest.chunk);
      if (chunks.indexOf(chunk) < 0) chunks.push(chunk);
    });
    return Promise.all(chunks.map(function (c) { return load("docs/" + c + ".json"); }))
      .then(function (loaded) {
        return numbers.map(function (n) {
          return loaded[chunks.indexOf(Math.floor(n / manifest.chunk))][n % manifest.chunk];
        });
      });
  }

  function show(ranked, shown, terms, manifest) {
    var next = ranked.slice(shown, shown + PAGE);
    return docs(next, manifest).then(function (found) {
      var first = null;
      found.forEach(function (doc) {
        var item = result(doc, terms);
        first = first || item;
        list.appendChild(item);
      });
      list.hidden = false;
      var total = shown + next.length;
      more.hidden = total >= ranked.length;
      more.firstElementChild.onclick = function () {
        show(ranked, total, terms, manifest).then(function (firstNew) {
          if (firstNew) firstNew.querySelector("a").focus();
        });
      };
      return first;
    });
  }

  function say(text) { status.textContent = text; }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  if (!query.trim()) return;
  document.title = "Search results for “" + query.trim() + "” – " + document.title;
  say("Searching…");
  load("manifest.json").then(function (manifest) {
    var terms = words(query, manifest);
    if (!terms.length) {
      say("No results for “" + query.trim() + "”. Try a more specific word.");
      return null;
    }
    return Promise.all(terms.map(function (t) { return scoresFor(t, manifest); })).then(function (perWord) {
      var ranked = rank(perWord);
      if (!ranked.length) {
        say("No results for “" + query.trim() + "”. Check the spelling, use fewer words, or browse by topic below.");
        return null;
      }
      return show(ranked, 0, terms, manifest).then(function () {
        say(ranked.length + (ranked.length === 1 ? " result" : " results") + " for “" + query.trim() + "”");
      });
    });
  }).catch(function () {
    say("Search is not available at the moment. You can browse by topic below.");
  });
})();
