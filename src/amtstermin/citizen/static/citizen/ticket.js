// Live ticket page: asks for the ticket's state every 20 seconds and updates the page; the
// headline sits in an aria-live region, so a call is announced. Without JavaScript the
// Refresh header reloads the page.
(function () {
  "use strict";
  var root = document.getElementById("live-ticket");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-status-url");
  var seconds = parseInt(root.getAttribute("data-refresh"), 10) || 20;
  var headline = document.getElementById("ticket-headline");
  var position = document.getElementById("ticket-position");
  var positionText = position.textContent.replace(/\d+\s*$/, "");
  var status = root.getAttribute("data-status");
  if (status !== "waiting" && status !== "called") { return; }

  function update(state) {
    if (headline.textContent !== state.headline) { headline.textContent = state.headline; }
    if (state.position) {
      position.textContent = positionText + state.position;
      position.hidden = false;
    } else {
      position.hidden = true;
    }
    if (state.status !== status) {
      status = state.status;
      root.setAttribute("data-status", status);
      var form = document.getElementById("leave-form");
      if (form && status !== "waiting") { form.hidden = true; }
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) { if (state) { update(state); } })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, seconds * 1000); });
  }
  window.setTimeout(poll, seconds * 1000);
}());
