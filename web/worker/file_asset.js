// file:// route: one runtime piece (the worker source, the wasm, the stdlib or a package, as text)
// stored in the page's registry. A classic script, because a page opened from file:// may load
// <script src> but not fetch. The build writes one copy per piece with its key and value filled in.
(function (key, value) {
  "use strict";
  var registry = self.__pyodideFileRoute = self.__pyodideFileRoute || {packages: {}};
  for (var i = 0; i < key.length - 1; i++) registry = registry[key[i]] = registry[key[i]] || {};
  registry[key[key.length - 1]] = value;
})(/*@build:key@*/null, /*@build:value@*/null);
