// Waiting-room display: asks for the latest calls every second and shows them. Without
// JavaScript the page reloads itself (meta refresh). Sound through the Web Audio API only.
(function () {
  "use strict";
  var root = document.getElementById("display");
  if (!root) { return; }
  var current = document.getElementById("current");
  var earlier = document.getElementById("earlier");
  var soundButton = document.getElementById("sound");
  var url = root.getAttribute("data-calls-url");
  var lastKey = current.getAttribute("data-key") || "";
  var audio = null;

  if (window.AudioContext || window.webkitAudioContext) {
    soundButton.hidden = false;
    soundButton.addEventListener("click", function () {
      var Context = window.AudioContext || window.webkitAudioContext;
      audio = audio || new Context();
      audio.resume();
      soundButton.hidden = true;
      chime();
    });
  }

  function chime() {
    if (!audio) { return; }
    [660, 880].forEach(function (frequency, index) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      var start = audio.currentTime + index * 0.35;
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.4, start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.3);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.32);
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    node.textContent = text;
    return node;
  }

  // A number keeps its left-to-right order on a right-to-left display, as the server renders it.
  function numberElement(tag, className, text) {
    var node = document.createElement(tag);
    var isolate = element("bdi", "", text);
    node.className = className;
    isolate.setAttribute("dir", "ltr");
    node.appendChild(isolate);
    return node;
  }

  function render(calls) {
    var latest = calls[0];
    var key = latest ? latest.id + "-" + latest.calls : "";
    if (key !== lastKey) {
      current.replaceChildren();
      if (latest) {
        current.appendChild(numberElement("p", "call-number", latest.number));
        current.appendChild(element("p", "call-counter", latest.counter));
      } else {
        current.appendChild(element("p", "call-counter", root.getAttribute("data-label-empty")));
      }
      if (latest && lastKey !== "") { chime(); }
      lastKey = key;
    }
    earlier.replaceChildren();
    calls.slice(1).forEach(function (call) {
      var item = document.createElement("li");
      item.appendChild(numberElement("span", "call-number-small", call.number));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(element("span", "", call.counter));
      earlier.appendChild(item);
    });
  }

  function poll() {
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { render(data.calls); } })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, 1000); });
  }
  window.setTimeout(poll, 1000);
})();
