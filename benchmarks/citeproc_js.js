// Render CSL-JSON items with citeproc-js, the engine of Zotero and Mendeley.
//
// Used by benchmarks/citeproc_compare.py to measure how often refman's output equals
// citeproc-js's. Reads one JSON request on stdin:
//   {"engine": "<path to the citeproc npm package>", "locales": "<folder of locales-xx-XX.xml>",
//    "style": "<CSL XML>", "lang": "en-US", "format": "text",
//    "items": [CSL-JSON ...], "citations": [["id", ...], ...]}
// and writes {"bibliography": [entry, ...], "citations": [text, ...]} on stdout.
"use strict";

const fs = require("fs");
const path = require("path");

function readRequest() {
  return JSON.parse(fs.readFileSync(0, "utf-8"));
}

function makeEngine(request) {
  const CSL = require(request.engine);
  const byId = new Map(request.items.map((item) => [String(item.id), item]));
  const sys = {
    retrieveLocale: (lang) => {
      const file = path.join(request.locales, `locales-${lang}.xml`);
      return fs.existsSync(file) ? fs.readFileSync(file, "utf-8") : false;
    },
    retrieveItem: (id) => byId.get(String(id)),
  };
  const engine = new CSL.Engine(sys, request.style, request.lang || "en-US");
  engine.setOutputFormat(request.format || "text");
  return engine;
}

function bibliography(engine, items) {
  engine.updateItems(items.map((item) => String(item.id)));
  const result = engine.makeBibliography();
  if (!result) {
    return [];
  }
  return result[1].map((entry) => entry.replace(/\s+/g, " ").trim());
}

function citation(engine, ids) {
  const cluster = { citationItems: ids.map((id) => ({ id })), properties: { noteIndex: 0 } };
  return engine.previewCitationCluster(cluster, [], [], "text");
}

function main() {
  const request = readRequest();
  const engine = makeEngine(request);
  const entries = bibliography(engine, request.items);
  const cited = (request.citations || []).map((ids) => {
    const single = makeEngine(request);
    single.updateItems(ids.map(String));
    return citation(single, ids);
  });
  process.stdout.write(JSON.stringify({ bibliography: entries, citations: cited }));
}

main();
