/* nutgraf web page: paste an article, get its key points with their source spans highlighted.
 *
 * Plain JavaScript, no build step, no external resources. The article is rendered with text nodes only
 * (never innerHTML with user text).
 *
 * Offsets: the API's spans are Python string indexes, i.e. Unicode code points. JavaScript strings are
 * indexed in UTF-16 code units, where a character outside the Basic Multilingual Plane (an emoji, say)
 * takes two units. codePointToUtf16() builds the map from one to the other before any slicing.
 */
(function () {
  "use strict";

  var MAX_K = 10;
  var DEFAULT_K = 3;
  var COLORS = 10; // distinct key-point colors, .kp-c1 … .kp-c10 in style.css
  var FILE_HINT = "or drop a .txt / .html file on the text box";

  var state = {
    response: null, // the last successful API response (parsed JSON)
    source: "", // the text the spans point into
    fileFormat: null, // "html" | "text" when the textarea was filled from a file and not edited since
    controller: null, // AbortController of the request in flight
    scorers: {}, // method name -> versioned scorer name, from /v1/methods
  };

  var $ = function (id) {
    return document.getElementById(id);
  };

  /* ---------- offsets ---------- */

  // map[i] = UTF-16 index of code point i; map[n] = text.length (n = number of code points).
  function codePointToUtf16(text) {
    var map = [];
    var unit = 0;
    for (var i = 0; i < text.length; ) {
      map.push(unit);
      var c = text.charCodeAt(i);
      var step = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
      i += step;
      unit += step;
    }
    map.push(unit);
    return map;
  }

  function isLowSurrogate(c) {
    return c >= 0xdc00 && c <= 0xdfff;
  }

  // Spans of every highlight as [startUnit, endUnit, highlightIndex], clamped to the text and non-empty.
  function spansInUnits(highlights, text) {
    var map = codePointToUtf16(text);
    var last = map.length - 1;
    var out = [];
    highlights.forEach(function (h, index) {
      (h.spans || []).forEach(function (span) {
        var a = Math.max(0, Math.min(last, Number(span[0]) | 0));
        var b = Math.max(0, Math.min(last, Number(span[1]) | 0));
        if (b > a) out.push([map[a], map[b], index]);
      });
    });
    return out;
  }

  /* ---------- rendering ---------- */

  function colorClass(index) {
    return "kp-c" + ((index % COLORS) + 1);
  }

  function rankOf(h, index) {
    return h.rank != null ? String(h.rank) : String(index + 1);
  }

  // The source text with each highlight's spans wrapped in <mark class="kp kp-cN" data-rank="R">. Spans are
  // cut at every boundary; a piece covered by several highlights gets nested marks (so each highlight's
  // marks, read in document order, still give exactly its text).
  function renderArticle(container, text, highlights) {
    container.textContent = "";
    var spans = spansInUnits(highlights, text);
    var cuts = [0, text.length];
    spans.forEach(function (s) {
      cuts.push(s[0], s[1]);
    });
    cuts.sort(function (x, y) {
      return x - y;
    });
    var frag = document.createDocumentFragment();
    for (var i = 0; i + 1 < cuts.length; i++) {
      var a = cuts[i];
      var b = cuts[i + 1];
      if (b <= a) continue;
      var covering = [];
      spans.forEach(function (s) {
        if (s[0] <= a && b <= s[1] && covering.indexOf(s[2]) < 0) covering.push(s[2]);
      });
      covering.sort(function (x, y) {
        return x - y;
      });
      var node = document.createTextNode(text.slice(a, b));
      for (var j = covering.length - 1; j >= 0; j--) {
        var index = covering[j];
        var mark = document.createElement("mark");
        mark.className = "kp " + colorClass(index);
        mark.setAttribute("data-rank", rankOf(highlights[index], index));
        mark.setAttribute("data-index", String(index));
        mark.title = "Key point " + (index + 1);
        mark.appendChild(node);
        node = mark;
      }
      frag.appendChild(node);
    }
    container.appendChild(frag);
    container.scrollTop = 0;
  }

  function renderKeyPoints(list, highlights) {
    list.textContent = "";
    highlights.forEach(function (h, index) {
      var li = document.createElement("li");
      li.className = "kp-item " + colorClass(index);
      li.setAttribute("data-rank", rankOf(h, index));
      li.setAttribute("data-index", String(index));
      li.tabIndex = 0;
      li.setAttribute("role", "button");
      li.setAttribute("aria-label", "Key point " + (index + 1) + ": show it in the article");

      var badge = document.createElement("span");
      badge.className = "kp-badge";
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = String(index + 1);

      var body = document.createElement("div");
      body.className = "kp-body";
      var p = document.createElement("p");
      p.className = "kp-text";
      p.textContent = display(h.text || "");
      var meta = document.createElement("span");
      meta.className = "kp-meta";
      var bits = ["rank " + rankOf(h, index)];
      if (typeof h.score === "number") bits.push("score " + h.score.toFixed(3));
      if (Array.isArray(h.explanation) && h.explanation.length) {
        // The learned method says which features moved the score most (log-odds contributions).
        bits.push(
          "why: " +
            h.explanation
              .map(function (c) {
                return c.feature + " " + (c.contribution >= 0 ? "+" : "") + Number(c.contribution).toFixed(2);
              })
              .join(", ")
        );
      }
      meta.textContent = bits.join(" · ");
      body.appendChild(p);
      body.appendChild(meta);

      li.appendChild(badge);
      li.appendChild(body);
      list.appendChild(li);
    });
  }

  function renderWarnings(warnings) {
    var box = $("warnings");
    box.textContent = "";
    if (!warnings || !warnings.length) {
      box.hidden = true;
      return;
    }
    var ul = document.createElement("ul");
    warnings.forEach(function (w) {
      var li = document.createElement("li");
      var code = document.createElement("strong");
      code.textContent = (w.code || "warning") + ": ";
      li.appendChild(code);
      li.appendChild(document.createTextNode(w.message || ""));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.hidden = false;
  }

  function showResults(data, submitted, format) {
    var highlights = Array.isArray(data.highlights) ? data.highlights : [];
    var source = typeof data.text === "string" ? data.text : submitted;
    state.response = data;
    state.source = source;

    renderKeyPoints($("key-points"), highlights);
    renderArticle($("article"), source, highlights);
    renderWarnings(data.warnings);

    var title = $("article-title");
    title.textContent = data.title || "";
    title.hidden = !data.title;
    $("article-note").textContent =
      format === "html" || typeof data.text === "string" ? "text extracted from the HTML" : "";
    var meta = [data.language ? "language " + data.language : null, data.method, data.scorer,
      data.model ? "model " + data.model : null,
      data.version ? "nutgraf " + data.version : null].filter(Boolean);
    $("meta").textContent = meta.join(" · ");
    if (!highlights.length) {
      var li = document.createElement("li");
      li.className = "kp-empty";
      li.textContent = "No key points.";
      $("key-points").appendChild(li);
    }
    $("results").hidden = false;
  }

  /* ---------- errors ---------- */

  function showError(message) {
    var box = $("error");
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    var box = $("error");
    box.textContent = "";
    box.hidden = true;
  }

  /* ---------- input ---------- */

  function looksLikeHtml(text) {
    return /^\s*</.test(text) && /<(!doctype|[a-z][a-z0-9-]*)(\s[^>]*)?\/?>/i.test(text);
  }

  function inputFormat(text) {
    if (state.fileFormat) return state.fileFormat;
    return looksLikeHtml(text) ? "html" : "text";
  }

  function updateInputKind() {
    var text = $("article-input").value;
    $("input-kind").textContent = text.trim() ? (inputFormat(text) === "html" ? "HTML" : "text") : "";
  }

  function display(text) {
    return text.split(/\s+/).filter(Boolean).join(" ");
  }

  function errorMessage(status, body) {
    if (body && body.error) {
      var e = body.error;
      var msg = e.message || e.reason || e.code || "request failed";
      return typeof msg === "string" ? msg : JSON.stringify(msg);
    }
    if (body && body.detail) {
      return typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
    }
    if (status === 413) return "The article is too large for this server.";
    return "The server answered " + status + ".";
  }

  function summarize() {
    var text = $("article-input").value;
    clearError();
    if (!text.trim()) {
      showError("Paste an article (text or HTML) or drop a file first.");
      $("results").hidden = true;
      renderWarnings([]);
      $("article-input").focus();
      return;
    }
    var format = inputFormat(text);
    var payload = {};
    payload[format] = text;
    var k = parseInt($("k").value, 10);
    if (k) payload.k = k; // "auto": the method's own number (the learned method chooses 2-4 as a set)
    var method = $("method").value;
    if (method) payload.method = method;
    var scorer = state.scorers[method || "default"];
    if (scorer && scorer.indexOf(".gbdt.") !== -1) payload.explain = true;
    if ($("compress").checked) payload.compress = true; // deletion only: a key point may then have several spans

    if (state.controller) state.controller.abort();
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    state.controller = controller;
    var button = $("summarize");
    button.disabled = true;
    button.textContent = "Summarizing…";
    document.body.classList.add("busy");

    fetch("/v1/summarize", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(payload),
      signal: controller ? controller.signal : undefined,
    })
      .then(function (resp) {
        return resp.text().then(function (raw) {
          var body = null;
          try {
            body = raw ? JSON.parse(raw) : null;
          } catch (err) {
            body = null;
          }
          if (!resp.ok || !body || !Array.isArray(body.highlights)) {
            throw new Error(resp.ok ? "The server sent an answer this page does not understand." : errorMessage(resp.status, body));
          }
          return body;
        });
      })
      .then(function (body) {
        if (state.controller !== controller) return;
        showResults(body, text, format);
      })
      .catch(function (err) {
        if (err && err.name === "AbortError") return;
        var message = err && err.message ? err.message : String(err);
        if (err instanceof TypeError) message = "Could not reach the nutgraf server (" + message + ").";
        showError(message);
        $("results").hidden = true;
        renderWarnings([]);
      })
      .then(function () {
        if (state.controller !== controller) return;
        state.controller = null;
        button.disabled = false;
        button.textContent = "Summarize";
        document.body.classList.remove("busy");
      });
  }

  function loadFile(file) {
    if (!file) return;
    var name = file.name || "file";
    var isHtml = /\.html?$/i.test(name) || file.type === "text/html";
    var reader = new FileReader();
    reader.onload = function () {
      var text = String(reader.result || "");
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      $("article-input").value = text;
      state.fileFormat = isHtml ? "html" : looksLikeHtml(text) ? "html" : "text";
      $("file-name").textContent = name;
      $("file-name").classList.add("loaded");
      $("article-input").scrollTop = 0;
      updateInputKind();
      summarize();
    };
    reader.onerror = function () {
      showError("Could not read " + name + ".");
    };
    reader.readAsText(file);
  }

  /* ---------- key point ↔ article ---------- */

  function marksFor(index) {
    return $("article").querySelectorAll('mark.kp[data-index="' + index + '"]');
  }

  function setActive(index, on) {
    Array.prototype.forEach.call(marksFor(index), function (m) {
      m.classList.toggle("active", on);
    });
    var li = $("key-points").querySelector('li[data-index="' + index + '"]');
    if (li) li.classList.toggle("active", on);
  }

  function reveal(index) {
    var marks = marksFor(index);
    if (!marks.length) return;
    marks[0].scrollIntoView({ block: "center" });
    Array.prototype.forEach.call(marks, function (m) {
      m.classList.remove("flash");
      void m.offsetWidth; // restart the animation
      m.classList.add("flash");
    });
    window.setTimeout(function () {
      Array.prototype.forEach.call(marks, function (m) {
        m.classList.remove("flash");
      });
    }, 1600);
  }

  function itemIndex(event) {
    var li = event.target.closest ? event.target.closest("li.kp-item") : null;
    return li ? li.getAttribute("data-index") : null;
  }

  /* ---------- copy ---------- */

  function mdEscape(text) {
    // The same escaping as nutgraf's Markdown renderer (render.py): inline markup, and a start that
    // would make the list item a heading or a nested list ("# 1", "+ more", "1. first").
    var out = text.replace(/[\\*_`[\]<>]/g, "\\$&");
    var m = /^(#{1,6}|[+-]|\d{1,9}[.)])(?=\s|$)/.exec(out);
    if (m) {
      var marker = m[1];
      var last = marker.charAt(marker.length - 1);
      var escaped = last === "." || last === ")" ? marker.slice(0, -1) + "\\" + last : "\\" + marker;
      out = escaped + out.slice(marker.length);
    }
    return out;
  }

  function copyPayload(kind) {
    var data = state.response;
    if (!data) return "";
    var hs = data.highlights || [];
    if (kind === "json") return JSON.stringify(data, null, 2);
    return hs
      .map(function (h) {
        var t = display(h.text || "");
        return "- " + (kind === "md" ? mdEscape(t) : t);
      })
      .join("\n");
  }

  function fallbackCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.top = "-1000px";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (err) {
      ok = false;
    }
    document.body.removeChild(ta);
    return ok;
  }

  function copyToClipboard(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () {
          return true;
        },
        function () {
          return fallbackCopy(text);
        }
      );
    }
    return Promise.resolve(fallbackCopy(text));
  }

  function onCopy(button, kind) {
    var text = copyPayload(kind);
    if (!text) return;
    copyToClipboard(text).then(function (ok) {
      var label = button.getAttribute("data-label");
      button.textContent = ok ? "Copied" : "Copy failed";
      button.classList.toggle("copied", ok);
      window.clearTimeout(button._timer);
      button._timer = window.setTimeout(function () {
        button.textContent = label;
        button.classList.remove("copied");
      }, 1500);
    });
  }

  /* ---------- methods ---------- */

  function loadMethods() {
    fetch("/v1/methods", { headers: { Accept: "application/json" } })
      .then(function (resp) {
        return resp.ok ? resp.json() : null;
      })
      .then(function (data) {
        if (!data || !Array.isArray(data.methods)) return;
        var select = $("method");
        var current = select.value;
        select.textContent = "";
        data.methods.forEach(function (m) {
          var opt = document.createElement("option");
          opt.value = m.name;
          opt.textContent = m.name === "default" && data.default ? "default (" + data.default + ")" : m.name;
          if (m.scorer) opt.title = m.scorer;
          state.scorers[m.name] = m.scorer;
          select.appendChild(opt);
        });
        select.value = current;
        if (!select.value && select.options.length) select.selectedIndex = 0;
      })
      .catch(function () {
        /* keep the built-in "default" option */
      });
  }

  /* ---------- wiring ---------- */

  function init() {
    var k = $("k");
    var auto = document.createElement("option");
    auto.value = "";
    auto.textContent = "auto";
    auto.title = "the learned method chooses 2-4 key points as a set; other methods take " + DEFAULT_K;
    auto.selected = true;
    k.appendChild(auto);
    for (var i = 1; i <= MAX_K; i++) {
      var opt = document.createElement("option");
      opt.value = String(i);
      opt.textContent = String(i);
      k.appendChild(opt);
    }
    loadMethods();

    var input = $("article-input");
    input.addEventListener("input", function () {
      if (state.fileFormat) {
        state.fileFormat = null;
        $("file-name").textContent = FILE_HINT;
        $("file-name").classList.remove("loaded");
      }
      updateInputKind();
    });
    $("summarize").addEventListener("click", summarize);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        summarize();
      }
    });

    $("file-input").addEventListener("change", function (e) {
      loadFile(e.target.files && e.target.files[0]);
      e.target.value = "";
    });
    var zone = $("drop-zone");
    var depth = 0;
    zone.addEventListener("dragenter", function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      zone.classList.add("dragging");
    });
    zone.addEventListener("dragover", function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = "copy";
    });
    zone.addEventListener("dragleave", function () {
      depth = Math.max(0, depth - 1);
      if (!depth) zone.classList.remove("dragging");
    });
    zone.addEventListener("drop", function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      zone.classList.remove("dragging");
      loadFile(e.dataTransfer.files[0]);
    });
    // A file dropped elsewhere on the page must not make the browser navigate away from it.
    window.addEventListener("dragover", function (e) {
      if (hasFiles(e)) e.preventDefault();
    });
    window.addEventListener("drop", function (e) {
      if (hasFiles(e)) e.preventDefault();
    });

    var list = $("key-points");
    list.addEventListener("click", function (e) {
      var index = itemIndex(e);
      if (index != null) reveal(index);
    });
    list.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" && e.key !== " ") return;
      var index = itemIndex(e);
      if (index == null) return;
      e.preventDefault();
      reveal(index);
    });
    list.addEventListener("mouseover", function (e) {
      var index = itemIndex(e);
      if (index != null) setActive(index, true);
    });
    list.addEventListener("mouseout", function (e) {
      var index = itemIndex(e);
      if (index != null) setActive(index, false);
    });
    var article = $("article");
    article.addEventListener("mouseover", function (e) {
      var m = e.target.closest ? e.target.closest("mark.kp") : null;
      if (m) setActive(m.getAttribute("data-index"), true);
    });
    article.addEventListener("mouseout", function (e) {
      var m = e.target.closest ? e.target.closest("mark.kp") : null;
      if (m) setActive(m.getAttribute("data-index"), false);
    });

    $("copy-text").addEventListener("click", function (e) {
      onCopy(e.currentTarget, "text");
    });
    $("copy-md").addEventListener("click", function (e) {
      onCopy(e.currentTarget, "md");
    });
    $("copy-json").addEventListener("click", function (e) {
      onCopy(e.currentTarget, "json");
    });
  }

  function hasFiles(e) {
    var types = e.dataTransfer && e.dataTransfer.types;
    return !!types && Array.prototype.indexOf.call(types, "Files") >= 0;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
