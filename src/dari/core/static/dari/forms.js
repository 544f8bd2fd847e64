/* Searchable choices for Dari's forms, as progressive enhancement: without script the page keeps a
   plain <select> or list of checkboxes, which work as they are.

   - [data-filterable] on a <select> or on a list of checkboxes: a search box above it narrows the
     choices to those whose text, value or data-terms (other names, synonyms, codes) contain what is
     typed, in any case and either language. Chosen entries always stay in view.
   - [data-browser-zone] on a time-zone <select>: the browser's own zone is chosen when a required
     zone is empty, and otherwise offered by a button. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFKC").toLocaleLowerCase();
  }

  function entriesOf(control) {
    if (control.tagName === "SELECT") {
      return Array.from(control.options).map(function (option) {
        return { node: option, chosen: function () { return option.selected; }, text: option.text + " " + option.value + " " + (option.dataset.terms || "") };
      });
    }
    return Array.from(control.querySelectorAll("input[type=checkbox], input[type=radio]")).map(function (input) {
      var label = input.closest("label") || input.parentNode;
      return { node: label.parentNode === control ? label : label.parentNode, chosen: function () { return input.checked; }, text: label.textContent + " " + (input.dataset.terms || "") };
    });
  }

  function filter(control, entries, query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    entries.forEach(function (entry) {
      var haystack = entry.hay || (entry.hay = fold(entry.text));
      var match = words.every(function (word) { return haystack.indexOf(word) !== -1; });
      entry.node.hidden = !(match || entry.chosen() || entry.node.value === "");
    });
    control.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !Array.from(group.children).some(function (option) { return !option.hidden; });
    });
  }

  function makeFilterable(control) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "choice-filter";
    search.placeholder = control.dataset.filterPlaceholder || "";
    search.setAttribute("aria-label", control.dataset.filterLabel || search.placeholder);
    if (control.id) search.setAttribute("aria-controls", control.id);
    var entries = entriesOf(control);
    search.addEventListener("input", function () { filter(control, entries, search.value); });
    // Enter in the search box would submit the form; choose the only (or first) match instead.
    search.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      if (control.tagName === "SELECT" && !control.multiple) {
        var first = Array.from(control.options).find(function (option) { return !option.hidden && option.value; });
        if (first) { control.value = first.value; control.dispatchEvent(new Event("change", { bubbles: true })); }
      }
    });
    control.parentNode.insertBefore(search, control);
  }

  function suggestBrowserZone(select) {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { return; }
    if (!zone || select.value === zone) return;
    var option = Array.from(select.options).find(function (candidate) { return candidate.value === zone; });
    if (!option) return;
    // A required zone left empty takes the browser's; an optional one (the zone of a signing, say)
    // is only offered it, since the time it belongs to may be elsewhere.
    if (!select.value && select.required) { select.value = zone; return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button browser-zone";
    button.textContent = (select.dataset.browserZone || "%s").replace("%s", zone);
    button.addEventListener("click", function () {
      select.value = zone;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      button.remove();
    });
    select.insertAdjacentElement("afterend", button);
  }

  function enhance(root) {
    root.querySelectorAll("[data-filterable]:not([data-enhanced])").forEach(function (control) {
      control.dataset.enhanced = "";
      makeFilterable(control);
    });
    root.querySelectorAll("select[data-browser-zone]:not([data-zone-suggested])").forEach(function (select) {
      select.dataset.zoneSuggested = "";
      suggestBrowserZone(select);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
