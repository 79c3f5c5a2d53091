/* Progressive enhancement only: every page works without this file. No inline scripts (CSP). */
(function () {
  "use strict";

  function focusErrorSummary() {
    var target = document.querySelector("[data-autofocus]");
    if (target && document.activeElement === document.body) {
      target.focus();
    }
  }

  /* Live total time on the office page. The server renders the minutes of every choice in the
     options (the one rule lives in the booking code); this only adds them up and rounds to the
     office's grid, as the booking does. */
  function liveTotal() {
    var output = document.getElementById("total-time");
    var form = output && output.closest("form");
    if (!output || !form || !output.dataset.grid) {
      return;
    }
    var grid = parseInt(output.dataset.grid, 10) || 1;
    function update() {
      var total = 0;
      form.querySelectorAll("select[data-persons]").forEach(function (select) {
        var option = select.options[select.selectedIndex];
        total += parseInt(option && option.dataset.minutes, 10) || 0;
      });
      if (total > 0) {
        total = Math.ceil(total / grid) * grid;
        output.textContent = output.dataset.template.replace("{minutes}", String(total));
      } else {
        output.textContent = output.dataset.empty;
      }
    }
    form.addEventListener("change", update);
  }

  /* The hold countdown: the visible minutes follow the clock; screen readers hear only two
     announcements (two minutes left, and the end), never every tick. Counts from the seconds
     the server gave, so the device's clock does not matter. */
  function holdCountdown() {
    var box = document.querySelector("[data-hold]");
    if (!box) {
      return;
    }
    var seconds = parseInt(box.dataset.secondsLeft, 10);
    if (!(seconds > 0)) {
      return;
    }
    var minutesText = box.querySelector("[data-hold-minutes]");
    var live = box.querySelector("[data-hold-live]");
    var endsAt = Date.now() + seconds * 1000;
    var warned = seconds <= 120;
    var timer = window.setInterval(function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var minutes = Math.ceil(left / 60);
      if (minutesText) {
        minutesText.textContent = minutes === 1
          ? box.dataset.one
          : box.dataset.many.replace("{n}", String(minutes));
      }
      if (!warned && left <= 120 && left > 0) {
        warned = true;
        live.textContent = box.dataset.warn;
      }
      if (left === 0) {
        live.textContent = box.dataset.expired;
        window.clearInterval(timer);
      }
    }, 5000);
  }

  function printAndCopy() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(button.dataset.copy).then(function () {
          var status = document.querySelector("[data-copy-status]");
          if (status) {
            status.textContent = button.dataset.copied;
          }
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary();
    liveTotal();
    holdCountdown();
    printAndCopy();
  });
})();
