// Kiosk ticket: a button that prints the slip on the ticket printer (the print stylesheet
// leaves only the slip, 72 mm wide).
(function () {
  "use strict";
  var button = document.getElementById("print-ticket");
  if (!button || !window.print) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
}());
