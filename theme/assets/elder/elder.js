// Elder mode (长辈模式) and read-aloud, on every page. The saved choice is applied before first
// paint by the inline head script (theme/partials/elder-head.html); this file wires the buttons.
// Both buttons stay hidden until this runs, so a reader without JavaScript never meets a dead control.
(function () {
  "use strict";
  var KEY = "shebao-elder";
  var root = document.documentElement;
  var toggles = document.querySelectorAll("[data-elder-toggle]");

  function show(on) {
    root.classList.toggle("elder", on);
    for (var i = 0; i < toggles.length; i++) toggles[i].setAttribute("aria-pressed", String(on));
  }
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].hidden = false;
    toggles[i].addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      show(on);
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* storage off: this page only */ }
    });
  }
  show(root.classList.contains("elder"));

  var button = document.querySelector("[data-read-aloud]");
  var synth = window.speechSynthesis;
  if (!button || !synth || typeof SpeechSynthesisUtterance !== "function") return;
  var want = button.getAttribute("data-lang");          // "zh-CN" or "en"
  var label = button.textContent;
  var voice = null;

  // A voice in the page's language: the exact tag first (zh-CN), else the same language (en-GB for en).
  function pick() {
    var voices = synth.getVoices(), base = want.split("-")[0], near = null;
    for (var i = 0; i < voices.length; i++) {
      var tag = voices[i].lang.replace("_", "-").toLowerCase();
      if (tag === want.toLowerCase()) return voices[i];
      if (!near && tag.split("-")[0] === base && (base !== "zh" || /cn|hans/.test(tag))) near = voices[i];
    }
    return near;
  }
  function offer() {
    voice = pick();
    button.hidden = !voice;
  }
  function reset() { button.textContent = label; }
  offer();
  if (synth.addEventListener) synth.addEventListener("voiceschanged", offer);

  button.addEventListener("click", function () {
    if (synth.speaking || synth.pending) { synth.cancel(); reset(); return; }
    var article = document.querySelector("article");
    if (!voice || !article) return;
    // The page text without the tools row and the sources list.
    var copy = article.cloneNode(true);
    var skip = copy.querySelectorAll(".page-tools, .page-meta");
    for (var i = 0; i < skip.length; i++) skip[i].remove();
    var say = new SpeechSynthesisUtterance(copy.textContent.replace(/\s+/g, " ").trim());
    say.voice = voice;
    say.lang = voice.lang;
    say.onend = say.onerror = reset;
    button.textContent = button.getAttribute("data-stop");
    synth.speak(say);
  });
})();
