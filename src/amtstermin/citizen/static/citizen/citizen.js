/* Progressive enhancement only: every page works without this file. No inline scripts (CSP). */
(function () {
  "use strict";

  function focusErrorSummary() {
    var target = document.querySelector("[data-autofocus]");
    if (target && document.activeElement === document.body) {
      target.focus();
    }
  }

  /* Live total time on the office page. The server renders the minutes of every choice (the
     one rule lives in the booking code): on the select's options, or, once the stepper has
     replaced a select, as a list on the number field. This only adds them up and rounds to the
     office's grid, as the booking does. */
  function minutesOf(field) {
    if (field.tagName === "SELECT") {
      var option = field.options[field.selectedIndex];
      return parseInt(option && option.dataset.minutes, 10) || 0;
    }
    var list = (field.dataset.minutes || "").split(",");
    return parseInt(list[parseInt(field.value, 10)], 10) || 0;
  }

  function liveTotal() {
    var output = document.getElementById("total-time");
    var form = output && output.closest("form");
    if (!output || !form || !output.dataset.grid) {
      return;
    }
    var grid = parseInt(output.dataset.grid, 10) || 1;
    function update() {
      var total = 0;
      form.querySelectorAll("[data-persons]").forEach(function (field) {
        total += minutesOf(field);
      });
      if (total > 0) {
        total = Math.ceil(total / grid) * grid;
        output.textContent = output.dataset.template.replace("{minutes}", String(total));
      } else {
        output.textContent = output.dataset.empty;
      }
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);  // typing into a number field
  }

  /* The persons stepper: each select becomes a number field between a "−" and a "+" button
     (48 px targets, named "fewer/more persons for <service>"). The field keeps the select's
     id, name and descriptions, so its label and any error still belong to it; without this
     script the select stays. */
  function personsSteppers() {
    document.querySelectorAll("[data-stepper]").forEach(function (box) {
      var select = box.querySelector("select[data-persons]");
      if (!select) {
        return;
      }
      var minutes = [];
      var max = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var value = parseInt(option.value, 10);
        minutes[value] = option.dataset.minutes || "0";
        max = Math.max(max, value);
      });
      var input = document.createElement("input");
      input.type = "number";
      input.min = "0";
      input.max = String(max);
      input.step = "1";
      input.inputMode = "numeric";
      input.className = "stepper-input";
      ["id", "name", "aria-describedby", "aria-invalid"].forEach(function (name) {
        if (select.hasAttribute(name)) {
          input.setAttribute(name, select.getAttribute(name));
        }
      });
      input.dataset.persons = "";
      input.dataset.minutes = minutes.join(",");
      input.value = select.value;

      function button(step, label, symbol) {
        var made = document.createElement("button");
        made.type = "button";
        made.className = "stepper-button";
        made.setAttribute("aria-controls", input.id);
        var shown = document.createElement("span");
        shown.setAttribute("aria-hidden", "true");
        shown.textContent = symbol;
        var name = document.createElement("span");
        name.className = "visually-hidden";
        name.textContent = label;
        made.appendChild(shown);
        made.appendChild(name);
        made.addEventListener("click", function () {
          set((parseInt(input.value, 10) || 0) + step);
        });
        return made;
      }
      var fewer = button(-1, box.dataset.fewer, "\u2212");
      var more = button(1, box.dataset.more, "+");

      function clamp(value) {
        return Math.min(max, Math.max(0, isNaN(value) ? 0 : value));
      }
      function mark() {
        var value = parseInt(input.value, 10) || 0;
        // aria-disabled, not disabled: the button keeps the focus at the end of the range.
        fewer.setAttribute("aria-disabled", String(value <= 0));
        more.setAttribute("aria-disabled", String(value >= max));
      }
      function set(value) {
        var clamped = clamp(value);
        if (String(clamped) !== input.value) {
          input.value = String(clamped);
          input.dispatchEvent(new Event("change", { bubbles: true }));
        }
        mark();
      }
      input.addEventListener("change", function () {
        var clamped = String(clamp(parseInt(input.value, 10)));
        if (clamped !== input.value) {
          input.value = clamped;
        }
        mark();
      });
      input.addEventListener("input", mark);

      var stepper = document.createElement("div");
      stepper.className = "stepper";
      stepper.appendChild(fewer);
      stepper.appendChild(input);
      stepper.appendChild(more);
      select.replaceWith(stepper);
      mark();
    });
    var form = document.querySelector("form.services-form");
    if (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("input[data-persons]").forEach(function (input) {
          var value = parseInt(input.value, 10);
          var max = parseInt(input.max, 10);
          input.value = String(Math.min(max, Math.max(0, isNaN(value) ? 0 : value)));
        });
      });
    }
  }

  /* Filtering the services by typing. Case, umlauts and ß do not matter ("fuhrung",
     "fuehrung" and "Führung" find the same); a service with persons chosen is never hidden,
     and a group left empty is hidden with its services. The number shown is announced once
     the typing pauses. */
  function fold(text) {
    return text
      .toLowerCase()
      .replace(/\u00df/g, "ss")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/ae/g, "a")
      .replace(/oe/g, "o")
      .replace(/ue/g, "u");
  }

  function serviceFilter() {
    var box = document.querySelector("[data-service-filter]");
    if (!box) {
      return;
    }
    var input = box.querySelector("input");
    var status = box.querySelector("[data-filter-status]");
    var empty = box.querySelector("[data-filter-empty]");
    var services = Array.prototype.slice.call(document.querySelectorAll("[data-service]"));
    var groups = document.querySelectorAll("[data-service-group]");
    var folded = services.map(function (item) { return fold(item.dataset.search || ""); });
    var timer = null;
    box.hidden = false;

    function chosen(item) {
      var field = item.querySelector("[data-persons]");
      return Boolean(field) && (parseInt(field.value, 10) || 0) > 0;
    }
    function apply(announce) {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      services.forEach(function (item, index) {
        var matches = words.every(function (word) { return folded[index].indexOf(word) !== -1; });
        item.hidden = !(matches || chosen(item));
        shown += item.hidden ? 0 : 1;
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-service]:not([hidden])");
      });
      empty.hidden = shown > 0;
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          status.textContent = shown > 0
            ? status.dataset.shown.replace("{n}", String(shown))
            : empty.textContent;
        }, 500);
      }
    }
    input.addEventListener("input", function () { apply(true); });
    input.addEventListener("search", function () { apply(true); });  // the field's clear button
    apply(false);
  }

  /* The hold countdown: the visible minutes follow the clock; screen readers hear only two
     announcements (two minutes left, and the end), never every tick. Counts from the seconds
     the server gave, so the device's clock does not matter. When the time is up, the count
     gives way to the plain message the server renders for a page loaded after the lapse. */
  function holdCountdown() {
    var box = document.querySelector("[data-hold]");
    if (!box) {
      return;
    }
    var seconds = parseInt(box.dataset.secondsLeft, 10);
    if (!(seconds > 0)) {
      return;
    }
    var running = box.querySelector("[data-hold-running]");
    var expired = box.querySelector("[data-hold-expired]");
    var minutesText = box.querySelector("[data-hold-minutes]");
    var live = box.querySelector("[data-hold-live]");
    var endsAt = Date.now() + seconds * 1000;
    var warned = seconds <= 120;
    var timer = window.setInterval(function () {
      var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
      var minutes = Math.ceil(left / 60);
      if (minutesText && left > 0) {
        minutesText.textContent = minutes === 1
          ? box.dataset.one
          : box.dataset.many.replace("{n}", String(minutes));
      }
      if (!warned && left <= 120 && left > 0) {
        warned = true;
        live.textContent = box.dataset.warn;
      }
      if (left === 0) {
        window.clearInterval(timer);
        running.hidden = true;
        expired.hidden = false;
        live.textContent = expired.querySelector("p").textContent.replace(/\s+/g, " ").trim();
      }
    }, 5000);
  }

  /* "I am booking for someone else": the name field shows while the box is ticked (a form
     that came back with the box ticked shows it with its value and error). */
  function otherPersonName() {
    var box = document.querySelector("[data-other-name]");
    var tick = document.getElementById("id_for_other");
    if (!box || !tick) {
      return;
    }
    tick.setAttribute("aria-controls", box.id);
    function sync() {
      box.hidden = !tick.checked;
    }
    tick.addEventListener("change", sync);
    sync();
  }

  /* Print and copy buttons are rendered hidden: without this script they could do nothing. */
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
    personsSteppers();
    serviceFilter();
    liveTotal();
    holdCountdown();
    otherPersonName();
    printAndCopy();
  });
})();
