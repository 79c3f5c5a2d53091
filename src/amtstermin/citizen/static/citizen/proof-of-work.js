// The proof of work (ALTCHA) runs by itself in the background; its solution goes into every
// form on the page that asks for it (input[data-proof]). Without JavaScript the forms are sent
// without one and the server applies its stricter rules instead.
import "./vendor/altcha/altcha.min.js";
import "./vendor/altcha/de.js";

const worker = new URL("./vendor/altcha/workers/pbkdf2.js", import.meta.url);
globalThis.$altcha.algorithms.set("PBKDF2/SHA-256", () => new Worker(worker));

function fill(payload) {
  for (const input of document.querySelectorAll("input[data-proof]")) {
    input.value = payload;
  }
}

for (const place of document.querySelectorAll("[data-proof-widget]")) {
  const widget = document.createElement("altcha-widget");
  widget.setAttribute("challenge", place.dataset.challenge);
  widget.setAttribute("language", place.dataset.language);
  widget.setAttribute("auto", "onload");
  widget.setAttribute("display", "invisible");
  widget.setAttribute("name", "altcha-widget");
  widget.addEventListener("verified", (event) => fill(event.detail.payload));
  widget.addEventListener("expired", () => {
    fill("");
    widget.verify();
  });
  place.append(widget);
}
