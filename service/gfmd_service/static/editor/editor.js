/* The SPARQL editor page: YASGUI when its build is served, else a plain text area that
 * posts to the endpoint and renders SPARQL JSON results as a table. No inline handlers,
 * no other origin: the page keeps to a strict Content-Security-Policy. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("gfmd-editor-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var api = { endpoint: endpoint, mode: null, yasgui: null, openExample: openExample };
  window.gfmdEditor = api;

  // YASQE's own class and property completers ask Linked Open Vocabularies, and its prefix
  // completer fetches a public list of prefixes from another host: all three stay off. In their place, completers fed by this
  // service: the project's prefixes (from the page), and its classes, properties and
  // resources from /search/terms.
  var LOCAL_COMPLETERS = ["variables", "gfmdPrefixes", "gfmdClass", "gfmdProperty", "gfmdResource"];
  var termsEndpoint = new URL(config.termsEndpoint || "search/terms", window.location.href).href;

  function fetchTerms(kind, token) {
    var typed = (token && (token.autocompletionString || token.string) || "").trim();
    if (!typed) return Promise.resolve([]);
    var url = termsEndpoint + "?" + new URLSearchParams({ kind: kind, q: typed, limit: "50" }).toString();
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (response) {
      return response.ok ? response.json() : { terms: [] };
    }).then(function (body) {
      return (body.terms || []).map(function (term) { return term.iri; });
    }, function () { return []; });
  }

  function registerLocalCompleters(Yasqe) {
    var own = Yasqe.Autocompleters;
    var prefixes = Object.keys(config.prefixes || {}).sort().map(function (prefix) {
      return prefix + ": <" + config.prefixes[prefix] + ">";
    });
    if (own.prefixes) {
      Yasqe.forkAutocompleter("prefixes", { name: "gfmdPrefixes", get: prefixes, persistenceId: null }, false);
    }
    if (own["class"]) {
      Yasqe.forkAutocompleter("class", {
        name: "gfmdClass", autoShow: true,
        get: function (yasqe, token) { return fetchTerms("class", token); }
      }, false);
    }
    if (own.property) {
      Yasqe.forkAutocompleter("property", {
        name: "gfmdProperty", autoShow: true,
        get: function (yasqe, token) { return fetchTerms("property", token); }
      }, false);
    }
    if (own.property && own["class"]) {
      Yasqe.forkAutocompleter("property", {
        name: "gfmdResource", autoShow: false,
        isValidCompletionPosition: function (yasqe) {
          var token = yasqe.getCompleteToken();
          var text = token.string || "";
          if (!text || text[0] === "?" || text[0] === "$") return false;
          if (text[0] !== "<" && text.indexOf(":") <= 0) return false;
          return !own.property.isValidCompletionPosition(yasqe) && !own["class"].isValidCompletionPosition(yasqe);
        },
        get: function (yasqe, token) { return fetchTerms("resource", token); }
      }, false);
    }
  }

  function startYasgui() {
    var Yasgui = window.Yasgui;
    var defaults = Yasgui.Yasqe.defaults;
    if (Yasgui.Yasqe.forkAutocompleter && Yasgui.Yasqe.Autocompleters) registerLocalCompleters(Yasgui.Yasqe);
    var known = Yasgui.Yasqe.Autocompleters || {};
    defaults.autocompleters = LOCAL_COMPLETERS.filter(function (name) {
      return name === "variables" ? defaults.autocompleters.indexOf(name) >= 0 : !!known[name];
    });
    defaults.prefixCcApi = null;
    var element = document.getElementById("yasgui");
    element.hidden = false;
    api.yasgui = new Yasgui(element, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: endpoint }]; }
      },
      copyEndpointOnNewTab: false,
      persistenceId: config.persistenceId,
      autofocus: false,
      yasqe: {
        value: config.defaultQuery,
        prefixCcApi: null,
        collapsePrefixesOnLoad: true,
        editorHeight: "360px"
      },
      corsProxy: undefined
    });
    api.mode = "yasgui";
  }

  function openExample(name) {
    var example = config.examples[name];
    if (!example) return;
    if (api.mode === "yasgui") {
      var tab = api.yasgui.addTab(
        true,
        { name: example.title, yasqe: { value: example.query }, requestConfig: { endpoint: endpoint } },
        { avoidDuplicateTabs: true }
      );
      if (tab && tab.show) tab.show();
      document.getElementById("yasgui").scrollIntoView({ block: "nearest" });
    } else {
      var textarea = document.getElementById("fallback-query");
      textarea.value = example.query;
      textarea.focus();
      textarea.scrollIntoView({ block: "nearest" });
    }
  }

  /* ---- the plain editor ---- */

  function startFallback(reason) {
    document.getElementById("yasgui").hidden = true;
    var form = document.getElementById("fallback");
    form.hidden = false;
    if (reason && !document.getElementById("editor-note")) {
      var note = document.createElement("p");
      note.className = "note";
      note.id = "editor-note";
      note.setAttribute("role", "note");
      note.textContent = reason;
      form.parentNode.insertBefore(note, form);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      runFallback();
    });
    document.getElementById("fallback-query").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        runFallback();
      }
    });
    var linked = linkedQuery();
    if (linked) {
      document.getElementById("fallback-query").value = linked;
    }
    api.mode = "fallback";
  }

  /* A query handed over in the URL, as YASGUI reads it: #query=... first, then ?query=... */
  function linkedQuery() {
    var hash = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var search = new URLSearchParams(window.location.search);
    return hash.get("query") || search.get("query");
  }

  function setStatus(text) {
    document.getElementById("fallback-status").textContent = text;
  }

  function runFallback() {
    var query = document.getElementById("fallback-query").value;
    var results = document.getElementById("fallback-results");
    var button = document.getElementById("fallback-run");
    var started = Date.now();
    results.textContent = "";
    button.disabled = true;
    setStatus("Running…");
    fetch(endpoint, {
      method: "POST",
      headers: {
        "Accept": "application/sparql-results+json, text/turtle;q=0.9, */*;q=0.5",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: new URLSearchParams({ query: query }).toString()
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      return response.text().then(function (body) {
        var seconds = ((Date.now() - started) / 1000).toFixed(2);
        if (!response.ok) {
          setStatus("Error " + response.status + " " + response.statusText);
          results.appendChild(pre(body));
          return;
        }
        if (type.indexOf("json") >= 0) {
          var data;
          try { data = JSON.parse(body); } catch (e) { data = null; }
          if (data && data.head && typeof data.boolean === "boolean") {
            setStatus("Answer in " + seconds + " s");
            results.appendChild(pre(String(data.boolean)));
            return;
          }
          if (data && data.head && data.results) {
            var rows = data.results.bindings || [];
            setStatus(rows.length + (rows.length === 1 ? " result" : " results") + " in " + seconds + " s");
            results.appendChild(table(data.head.vars || [], rows));
            return;
          }
        }
        setStatus("Response (" + (type || "no content type") + ") in " + seconds + " s");
        results.appendChild(pre(body));
      });
    }).catch(function (error) {
      setStatus("The request failed: " + error.message);
    }).then(function () {
      button.disabled = false;
    });
  }

  function pre(text) {
    var element = document.createElement("pre");
    element.textContent = text;
    return element;
  }

  function cell(term) {
    var td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri" && /^https?:/i.test(term.value)) {
      var link = document.createElement("a");
      link.href = term.value;
      link.rel = "noopener noreferrer";
      link.textContent = term.value;
      td.appendChild(link);
    } else {
      td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
      var lang = term["xml:lang"];
      if (lang) {
        var tag = document.createElement("span");
        tag.className = "lang";
        tag.textContent = "@" + lang;
        td.appendChild(tag);
      }
    }
    return td;
  }

  function table(vars, rows) {
    var element = document.createElement("table");
    element.className = "results-table";
    var head = element.createTHead().insertRow();
    vars.forEach(function (name) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = name;
      head.appendChild(th);
    });
    var body = element.createTBody();
    rows.forEach(function (binding) {
      var tr = body.insertRow();
      vars.forEach(function (name) { tr.appendChild(cell(binding[name])); });
    });
    return element;
  }

  /* ---- start ---- */

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      openExample(button.getAttribute("data-query-name"));
    });
  });

  if (config.yasgui && window.Yasgui) {
    try {
      startYasgui();
    } catch (error) {
      if (window.console) console.error(error);
      startFallback("The query editor (YASGUI) failed to start, so a plain editor is shown.");
    }
  } else if (config.yasgui) {
    startFallback("The query editor (YASGUI) could not be loaded, so a plain editor is shown.");
  } else {
    startFallback(null);
  }
})();
