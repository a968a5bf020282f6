// Elder mode (长辈模式) and read aloud, on every page. The saved choice is applied before first paint
// by the inline head script (theme/partials/elder-head.html); this file wires the two buttons, which
// stay hidden until it runs, so a reader without JavaScript never meets a dead control.
(function () {
  var root = document.documentElement, $ = document.querySelector.bind(document);
  var toggle = $("[data-elder-toggle]"), button = $("[data-read-aloud]"), synth = window.speechSynthesis, voice;
  function show() { toggle.setAttribute("aria-pressed", root.classList.contains("elder")); }
  if (toggle) {
    toggle.hidden = false;
    show();
    toggle.onclick = function () {
      // Storage may be off (private mode): then the choice lasts for this page only.
      try { localStorage["shebao-elder"] = +root.classList.toggle("elder"); } catch (e) {}
      show();
    };
  }
  if (!button || !synth) return;
  var label = button.textContent;
  // A voice for the page's language: zh-CN (or zh-Hans) on Chinese pages, any en-* on English ones.
  function offer() {
    var want = root.lang == "en" ? /^en/ : /^zh[-_](cn|hans)/i;
    voice = synth.getVoices().filter(function (v) { return want.test(v.lang); })[0];
    button.hidden = !voice;
  }
  offer();
  synth.onvoiceschanged = offer;
  button.onclick = function () {
    if (synth.speaking) return synth.cancel();
    // The page's text without the buttons and the list of sources.
    var copy = $("article").cloneNode(true);
    copy.querySelectorAll(".page-tools,.page-meta").forEach(function (el) { el.remove(); });
    var say = new SpeechSynthesisUtterance(copy.textContent.replace(/\s+/g, " "));
    say.voice = voice;
    say.lang = voice.lang;
    say.onend = say.onerror = function () { button.textContent = label; };
    button.textContent = button.dataset.stop;
    synth.speak(say);
  };
})();
