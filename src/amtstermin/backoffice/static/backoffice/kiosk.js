// Kiosk ticket: a button that prints the slip on the ticket printer (the print stylesheet
// leaves only the slip, 72 mm wide), and back to the start after a minute for the next
// person (the "Done" button does the same at once).
(function () {
  "use strict";
  var slip = document.getElementById("ticket-slip");
  var button = document.getElementById("print-ticket");
  if (button && window.print) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }
  if (slip && slip.getAttribute("data-return-url")) {
    window.setTimeout(function () {
      var done = document.getElementById("kiosk-done");  // also resets the language
      if (done) { done.submit(); } else { window.location.assign(slip.getAttribute("data-return-url")); }
    }, 60000);
  }
}());
