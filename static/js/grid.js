// The self-assessment grid: keyboard moves from score to score, a save's state that cannot mislead
// (refused, unsent, saving, saved), one banner of what was not saved, the confirmation before
// submitting. Loaded with defer on the dossier page only; no inline scripts (strict CSP).
(function () {
  "use strict";
  const grid = document.getElementById("grid");
  if (!grid) return;
  const STRINGS = grid.dataset;
  const FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]";

  function scoreInputs() {
    return Array.from(grid.querySelectorAll(".score-input")).filter(function (el) {
      return !el.disabled && el.offsetParent !== null;
    });
  }

  // Evidence, notes, guidance and the not-applicable form stay reachable (Alt+E, the row's button,
  // a click) but out of the Tab order, so that Tab goes score to score.
  function applyTabOrder(row) {
    const open = row.classList.contains("aside-open");
    row.querySelectorAll(FOCUSABLE).forEach(function (el) {
      if (el.classList.contains("score-input")) return;
      if (open) {
        if (el.dataset.gridTab) {
          el.removeAttribute("tabindex");
          delete el.dataset.gridTab;
        }
      } else if (el.getAttribute("tabindex") !== "-1") {
        el.setAttribute("tabindex", "-1");
        el.dataset.gridTab = "1";
      }
    });
  }

  function applyAll() {
    if (!grid.classList.contains("is-editable")) return;
    grid.querySelectorAll("tr.criterion-row").forEach(applyTabOrder);
  }

  function openAside(row) {
    row.classList.add("aside-open");
    applyTabOrder(row);
    const target = row.querySelector(".note-cell textarea, .evidence-cell textarea, .evidence-cell summary, .note-cell a");
    if (target) target.focus();
  }

  function closeAside(row) {
    row.classList.remove("aside-open");
    applyTabOrder(row);
    const input = row.querySelector(".score-input");
    if (input) input.focus();
  }

  function move(from, step) {
    const inputs = scoreInputs();
    const at = inputs.indexOf(from);
    const next = inputs[at + step];
    if (next) {
      next.focus();
      if (next.select) next.select();
    } else if (step > 0) {
      from.blur(); // the last score: leaving it saves it (change)
      from.focus();
    }
  }

  grid.addEventListener("keydown", function (event) {
    const el = event.target;
    const row = el.closest && el.closest("tr.criterion-row");
    if (!row) return;
    if (event.altKey && (event.key === "e" || event.key === "E")) {
      event.preventDefault();
      if (row.classList.contains("aside-open")) closeAside(row);
      else openAside(row);
      return;
    }
    if (event.key === "Escape" && row.classList.contains("aside-open")) {
      event.preventDefault();
      closeAside(row);
      return;
    }
    if (!el.classList.contains("score-input") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Enter") {
      event.preventDefault();
      move(el, 1); // leaving the box fires its change: the autosave
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      move(el, 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(el, -1);
    }
  });

  grid.addEventListener("click", function (event) {
    const toggle = event.target.closest(".aside-toggle");
    if (!toggle) return;
    const row = toggle.closest("tr.criterion-row");
    if (row.classList.contains("aside-open")) closeAside(row);
    else openAside(row);
  });

  // --- save state --------------------------------------------------------------------------
  function stateBox(row) {
    return row && row.querySelector(".self-cell .save-state");
  }

  function setState(row, cls, text) {
    const box = stateBox(row);
    if (!box) return;
    box.textContent = "";
    const span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    box.appendChild(span);
  }

  function markLocal(row, reason) {
    row.classList.add("is-refused");
    row.dataset.localError = reason;
    setState(row, "text-danger fw-semibold not-saved-flag", reason);
    rebuildBanner();
  }

  grid.addEventListener("input", function (event) {
    const row = event.target.closest("tr.criterion-row");
    if (!row || !event.target.name || !/^(raw|note|why)_/.test(event.target.name)) return;
    setState(row, "text-warning-emphasis unsaved-flag", STRINGS.msgUnsaved);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const row = event.detail.elt.closest && event.detail.elt.closest("#grid tr.criterion-row");
    if (row) setState(row, "text-secondary saving-flag", STRINGS.msgSaving);
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    const xhr = event.detail.xhr;
    const row = event.detail.elt.closest && event.detail.elt.closest("#grid tr.criterion-row");
    if (!row || !xhr) return;
    if (xhr.responseURL && xhr.responseURL.indexOf("/login") !== -1) {
      // The session ended: the login page must not land in the row.
      event.detail.shouldSwap = false;
      markLocal(row, STRINGS.msgSession);
    } else if (xhr.status === 403 && xhr.getResponseHeader("X-Cell-Refusal")) {
      event.detail.shouldSwap = true; // the refusal's reason, beside the cell
      event.detail.isError = false;
    } else if (xhr.status >= 400 && xhr.status < 500 && !event.detail.shouldSwap) {
      markLocal(row, STRINGS.msgRefused);
    }
  });

  function lostConnection(event) {
    const row = event.detail.elt.closest && event.detail.elt.closest("#grid tr.criterion-row");
    if (row) markLocal(row, STRINGS.msgOffline);
  }
  document.addEventListener("htmx:sendError", lostConnection);
  document.addEventListener("htmx:timeout", lostConnection);
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr && event.detail.xhr.status >= 500) lostConnection(event);
  });

  function rebuildBanner() {
    const banner = document.getElementById("save-banner");
    const list = document.getElementById("save-banner-list");
    if (!banner || !list) return;
    list.textContent = "";
    grid.querySelectorAll("tr.criterion-row").forEach(function (row) {
      const error = row.querySelector(".cell-error");
      const reason = error ? error.textContent.trim() : row.dataset.localError;
      if (!reason) return;
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = "#" + row.id;
      link.textContent = row.dataset.code;
      link.dataset.code = row.dataset.code;
      item.appendChild(link);
      item.appendChild(document.createTextNode(": " + reason));
      list.appendChild(item);
    });
    banner.classList.toggle("d-none", list.children.length === 0);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail.elt;
    const row = target && target.closest && target.closest("tr.criterion-row");
    if (row) {
      delete row.dataset.localError;
      if (!row.querySelector(".cell-error")) row.classList.remove("is-refused");
    }
    applyAll();
    rebuildBanner();
  });

  // A link to a row (the missing list, the banner) puts the cursor in its score box.
  document.addEventListener("click", function (event) {
    const link = event.target.closest("a[href^='#row-']");
    if (!link) return;
    const row = document.getElementById(link.getAttribute("href").slice(1));
    const input = row && row.querySelector(".score-input, textarea");
    if (input) {
      event.preventDefault();
      row.scrollIntoView({ block: "center" });
      input.focus();
      history.replaceState(null, "", link.getAttribute("href"));
    }
  });

  // --- submitting ----------------------------------------------------------------------------
  document.addEventListener("click", function (event) {
    const opener = event.target.closest("[data-dialog]");
    if (opener && !opener.disabled) {
      const dialog = document.getElementById(opener.dataset.dialog);
      const total = document.getElementById("total-self");
      const shown = dialog && dialog.querySelector(".confirm-total");
      if (shown && total) shown.textContent = total.textContent;
      if (dialog) dialog.showModal();
      return;
    }
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) closer.closest("dialog").close();
  });

  applyAll();
  rebuildBanner();
})();
