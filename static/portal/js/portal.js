/*
 * portal.js — comportements front du portail (sans dépendance ni étape de build).
 *
 * À charger APRÈS htmx (static/vendor/htmx/htmx.min.js). Tout fonctionne par
 * délégation d'événements sur `document` et via `htmx.onLoad`, donc aussi sur
 * les éléments insérés plus tard par htmx.
 *
 * Contrats DOM (voir aussi le rapport / les templates) :
 *
 *  1. Calendrier : <input type="text" data-calendar> (valeur JJ/MM/AAAA).
 *     Bouton optionnel [data-calendar-toggle] dans le même parent que le champ
 *     (ou data-calendar-toggle="#id-du-champ"). Au choix d'un jour : valeur
 *     JJ/MM/AAAA puis événements `input` et `change` (bubbles) sur le champ.
 *
 *  2. Garde « modifications non enregistrées » : <form data-dirty-guard>.
 *     form.dataset.dirty === "true" => formulaire modifié (le serveur peut
 *     rendre data-dirty="true"). Les éléments [data-leave-guard] (liens, hx-get…)
 *     demandent confirmation avant de quitter. Champs ignorés :
 *     [data-dirty-ignore] et [data-filter-target].
 *
 *  3. Messages longs : .field-message => clic / Entrée ouvre <dialog id="message-dialog">.
 *
 *  4. Filtre : <input data-filter-target="#liste"> masque (hidden) les
 *     [data-filter-item] de #liste qui ne contiennent pas le texte saisi
 *     (insensible à la casse et aux accents). [data-filter-empty] optionnel
 *     dans la cible : affiché seulement quand plus rien ne correspond.
 */
(() => {
  "use strict";

  if (window.__portalJsLoaded) return;
  window.__portalJsLoaded = true;

  const LEAVE_MESSAGE =
    "Vous avez des modifications non enregistrées. Voulez-vous quitter sans enregistrer ?";

  /* ------------------------------------------------------------------ */
  /* Utilitaires                                                         */
  /* ------------------------------------------------------------------ */

  const closestFrom = (target, selector) =>
    target instanceof Element ? target.closest(selector) : null;

  const onLoad = (fn) => {
    if (window.htmx && typeof window.htmx.onLoad === "function") {
      window.htmx.onLoad(fn);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => fn(document.body));
    } else {
      fn(document.body);
    }
  };

  /** Éléments correspondant à `selector` dans `root` (root compris). */
  const findAll = (root, selector) => {
    if (!root || typeof root.querySelectorAll !== "function") return [];
    const found = Array.from(root.querySelectorAll(selector));
    if (root instanceof Element && root.matches(selector)) found.unshift(root);
    return found;
  };

  /* ------------------------------------------------------------------ */
  /* 1. Calendrier                                                       */
  /* ------------------------------------------------------------------ */

  const MONTHS_SHORT = [
    "Janv.", "Févr.", "Mars", "Avr.", "Mai", "Juin",
    "Juil.", "Août", "Sept.", "Oct.", "Nov.", "Déc.",
  ];
  const MONTHS_LONG = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
  ];
  const WEEKDAYS_SHORT = ["lu", "ma", "me", "je", "ve", "sa", "di"];
  const WEEKDAYS_LONG = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

  const pad = (n, width = 2) => String(n).padStart(width, "0");

  /** Date locale sûre (gère les années < 100 et les débordements de jour/mois). */
  const makeDate = (y, m, d) => {
    const date = new Date(2000, 0, 1, 12, 0, 0, 0);
    date.setFullYear(y, m, d);
    return date;
  };

  const today = () => {
    const now = new Date();
    return makeDate(now.getFullYear(), now.getMonth(), now.getDate());
  };

  const sameDay = (a, b) =>
    !!a && !!b &&
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate();

  /** "JJ/MM/AAAA" -> Date, ou null si invalide. */
  const parseFrDate = (value) => {
    const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(value || "");
    if (!match) return null;
    const d = Number(match[1]);
    const m = Number(match[2]) - 1;
    const y = Number(match[3]);
    if (m < 0 || m > 11 || d < 1 || d > 31) return null;
    const date = makeDate(y, m, d);
    return date.getFullYear() === y && date.getMonth() === m && date.getDate() === d ? date : null;
  };

  const formatFr = (date) =>
    `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${pad(date.getFullYear(), 4)}`;
  const formatIso = (date) =>
    `${pad(date.getFullYear(), 4)}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const parseIso = (value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value || "");
    return match ? makeDate(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
  };
  const longLabel = (date) =>
    `${date.getDate()} ${MONTHS_LONG[date.getMonth()]} ${date.getFullYear()}`;

  const calendar = {
    popup: null,   // élément .portal-calendar (unique, réutilisé)
    input: null,   // champ actuellement associé, null si fermé
    view: "days",  // "days" | "months" | "years"
    year: 0,
    month: 0,
    yearPage: 0,   // première année de la page de 12 années
    focusDate: null,
    suppressFocusOpen: false, // vrai pendant qu'on rend le focus au champ à la fermeture
  };

  const isCalendarInput = (el) =>
    el instanceof HTMLInputElement && el.matches("input[data-calendar]");

  const calendarUsable = (input) => !input.disabled && !input.readOnly;

  /** Champ associé à un bouton [data-calendar-toggle]. */
  const inputForToggle = (toggle) => {
    const ref = toggle.getAttribute("data-calendar-toggle");
    if (ref) {
      try {
        const target = document.querySelector(ref);
        if (isCalendarInput(target)) return target;
      } catch (_) { /* sélecteur invalide : on retombe sur le voisin */ }
    }
    const parent = toggle.parentElement;
    return parent ? parent.querySelector("input[data-calendar]") : null;
  };

  const ensurePopup = () => {
    if (calendar.popup) return calendar.popup; // (ré)attaché au DOM par openCalendar
    const popup = document.createElement("div");
    popup.className = "portal-calendar";
    popup.setAttribute("role", "dialog");
    popup.setAttribute("aria-label", "Calendrier");
    popup.hidden = true;
    // Garder le focus dans le champ quand on clique à la souris dans le calendrier :
    // la saisie au clavier reste possible et le champ ne « clignote » pas.
    popup.addEventListener("mousedown", (event) => event.preventDefault());
    popup.addEventListener("keydown", onCalendarKeydown);
    calendar.popup = popup;
    return popup;
  };

  const button = (className, text, attrs = {}) => {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    for (const [name, value] of Object.entries(attrs)) {
      if (value !== null && value !== undefined && value !== false) b.setAttribute(name, String(value));
    }
    return b;
  };

  const renderCalendar = () => {
    const popup = ensurePopup();
    const { view, year, month } = calendar;
    const selected = calendar.input ? parseFrDate(calendar.input.value) : null;
    const now = today();

    popup.replaceChildren();
    popup.dataset.view = view;

    // En-tête : ‹  [mois]  [année]  ›
    const header = document.createElement("div");
    header.className = "portal-calendar__header";
    let prevLabel = "Mois précédent";
    let nextLabel = "Mois suivant";
    if (view === "months") {
      prevLabel = "Année précédente";
      nextLabel = "Année suivante";
    } else if (view === "years") {
      prevLabel = "Années précédentes";
      nextLabel = "Années suivantes";
    }
    const yearText = view === "years"
      ? `${calendar.yearPage} – ${calendar.yearPage + 11}`
      : String(year);
    header.append(
      button("portal-calendar__nav portal-calendar__prev", "‹", {
        "data-action": "prev", "aria-label": prevLabel, title: prevLabel,
      }),
      button("portal-calendar__label portal-calendar__month-label", MONTHS_SHORT[month], {
        "data-action": "months",
        "aria-label": `Choisir le mois (${MONTHS_LONG[month]})`,
        "aria-pressed": view === "months" ? "true" : "false",
      }),
      button("portal-calendar__label portal-calendar__year-label", yearText, {
        "data-action": "years",
        "aria-label": `Choisir l'année (${year})`,
        "aria-pressed": view === "years" ? "true" : "false",
      }),
      button("portal-calendar__nav portal-calendar__next", "›", {
        "data-action": "next", "aria-label": nextLabel, title: nextLabel,
      }),
    );
    popup.append(header);

    const grid = document.createElement("div");
    popup.append(grid);

    if (view === "days") {
      grid.className = "portal-calendar__grid portal-calendar__grid--days";
      grid.setAttribute("role", "grid");
      grid.setAttribute("aria-label", `${MONTHS_LONG[month]} ${year}`);
      WEEKDAYS_SHORT.forEach((wd, i) => {
        const cell = document.createElement("abbr");
        cell.className = "portal-calendar__weekday";
        cell.title = WEEKDAYS_LONG[i];
        cell.textContent = wd;
        grid.append(cell);
      });
      const first = makeDate(year, month, 1);
      const offset = (first.getDay() + 6) % 7; // lundi = 0
      const focusDate = calendar.focusDate && calendar.focusDate.getMonth() === month &&
        calendar.focusDate.getFullYear() === year ? calendar.focusDate : null;
      const tabbable = focusDate ||
        (selected && selected.getMonth() === month && selected.getFullYear() === year ? selected : null) ||
        (now.getMonth() === month && now.getFullYear() === year ? now : first);
      for (let i = 0; i < 42; i += 1) {
        const date = makeDate(year, month, 1 - offset + i);
        const outside = date.getMonth() !== month;
        const classes = ["portal-calendar__day"];
        if (outside) classes.push("is-outside");
        if (sameDay(date, now)) classes.push("is-today");
        if (sameDay(date, selected)) classes.push("is-selected");
        const b = button(classes.join(" "), String(date.getDate()), {
          "data-action": "day",
          "data-date": formatIso(date),
          "aria-label": longLabel(date),
          "aria-current": sameDay(date, now) ? "date" : null,
          "aria-pressed": sameDay(date, selected) ? "true" : null,
          tabindex: sameDay(date, tabbable) ? "0" : "-1",
        });
        grid.append(b);
      }
    } else if (view === "months") {
      grid.className = "portal-calendar__grid portal-calendar__grid--months";
      MONTHS_SHORT.forEach((label, m) => {
        const classes = ["portal-calendar__month"];
        if (m === month) classes.push("is-selected");
        if (m === now.getMonth() && year === now.getFullYear()) classes.push("is-today");
        grid.append(button(classes.join(" "), label, {
          "data-action": "month",
          "data-month": m,
          "aria-label": `${MONTHS_LONG[m]} ${year}`,
          "aria-pressed": m === month ? "true" : "false",
        }));
      });
    } else {
      grid.className = "portal-calendar__grid portal-calendar__grid--years";
      for (let y = calendar.yearPage; y < calendar.yearPage + 12; y += 1) {
        const classes = ["portal-calendar__year"];
        if (y === year) classes.push("is-selected");
        if (y === now.getFullYear()) classes.push("is-today");
        grid.append(button(classes.join(" "), String(y), {
          "data-action": "year",
          "data-year": y,
          "aria-pressed": y === year ? "true" : "false",
        }));
      }
    }
  };

  const positionCalendar = () => {
    const { popup, input } = calendar;
    if (!popup || !input || popup.hidden) return;
    const container = popup.parentElement || document.body;
    const rect = input.getBoundingClientRect();
    let originLeft;
    let originTop;
    if (container === document.body && getComputedStyle(document.body).position === "static") {
      originLeft = -window.scrollX;
      originTop = -window.scrollY;
    } else {
      const c = container.getBoundingClientRect();
      originLeft = c.left + container.clientLeft - container.scrollLeft;
      originTop = c.top + container.clientTop - container.scrollTop;
    }
    const popupWidth = popup.offsetWidth;
    const popupHeight = popup.offsetHeight;
    const viewportWidth = document.documentElement.clientWidth;
    const viewportHeight = document.documentElement.clientHeight;
    let left = rect.left;
    if (left + popupWidth > viewportWidth - 8) left = Math.max(8, viewportWidth - 8 - popupWidth);
    let top = rect.bottom + 4;
    // Pas assez de place dessous mais assez dessus : on ouvre au-dessus.
    if (top + popupHeight > viewportHeight && rect.top - popupHeight - 4 >= 0) {
      top = rect.top - popupHeight - 4;
    }
    popup.style.left = `${Math.round(left - originLeft)}px`;
    popup.style.top = `${Math.round(top - originTop)}px`;
  };

  const openCalendar = (input) => {
    if (!calendarUsable(input)) return;
    if (calendar.input === input && calendar.popup && !calendar.popup.hidden) return;
    if (calendar.input && calendar.input !== input) closeCalendar(false);
    const popup = ensurePopup();
    // Dans une modale (Bootstrap ou <dialog>), rester dans la modale pour
    // l'empilement et le piège à focus ; sinon sous <body>.
    const host = input.closest("dialog[open], .modal") || document.body;
    if (popup.parentElement !== host) host.append(popup);

    const selected = parseFrDate(input.value);
    const base = selected || today();
    calendar.input = input;
    calendar.view = "days";
    calendar.year = base.getFullYear();
    calendar.month = base.getMonth();
    calendar.yearPage = Math.floor(calendar.year / 12) * 12;
    calendar.focusDate = null;
    input.setAttribute("aria-expanded", "true");
    popup.hidden = false;
    renderCalendar();
    positionCalendar();
  };

  const closeCalendar = (restoreFocus) => {
    const { popup, input } = calendar;
    if (popup) {
      popup.hidden = true;
      popup.replaceChildren();
    }
    if (input) {
      input.setAttribute("aria-expanded", "false");
      if (restoreFocus && input.isConnected && document.activeElement !== input) {
        calendar.suppressFocusOpen = true;
        try {
          input.focus({ preventScroll: true });
        } finally {
          calendar.suppressFocusOpen = false;
        }
      }
    }
    calendar.input = null;
    calendar.focusDate = null;
  };

  const calendarIsOpen = () => !!(calendar.input && calendar.popup && !calendar.popup.hidden);

  const focusInPopup = (selector) => {
    const el = calendar.popup && calendar.popup.querySelector(selector);
    if (el) el.focus({ preventScroll: true });
  };

  const pickDate = (date) => {
    const input = calendar.input;
    if (!input) return;
    input.value = formatFr(date);
    closeCalendar(true);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
  };

  /** Gère un clic dans le calendrier. `fromKeyboard` : replacer le focus. */
  const handleCalendarAction = (actionEl, fromKeyboard) => {
    const action = actionEl.getAttribute("data-action");
    let refocus = null;
    switch (action) {
      case "prev":
      case "next": {
        const step = action === "prev" ? -1 : 1;
        if (calendar.view === "days") {
          const d = makeDate(calendar.year, calendar.month + step, 1);
          calendar.year = d.getFullYear();
          calendar.month = d.getMonth();
        } else if (calendar.view === "months") {
          calendar.year += step;
        } else {
          calendar.yearPage += 12 * step;
        }
        refocus = `[data-action="${action}"]`;
        break;
      }
      case "months":
        calendar.view = calendar.view === "months" ? "days" : "months";
        refocus = '[data-action="months"]';
        break;
      case "years":
        if (calendar.view === "years") {
          calendar.view = "days";
        } else {
          calendar.view = "years";
          calendar.yearPage = Math.floor(calendar.year / 12) * 12;
        }
        refocus = '[data-action="years"]';
        break;
      case "month":
        calendar.month = Number(actionEl.getAttribute("data-month"));
        calendar.view = "days";
        refocus = '.portal-calendar__day[tabindex="0"]';
        break;
      case "year":
        calendar.year = Number(actionEl.getAttribute("data-year"));
        calendar.view = "days";
        refocus = '.portal-calendar__day[tabindex="0"]';
        break;
      case "day": {
        const date = parseIso(actionEl.getAttribute("data-date"));
        if (date) pickDate(date);
        return;
      }
      default:
        return;
    }
    calendar.focusDate = null;
    renderCalendar();
    positionCalendar();
    if (fromKeyboard && refocus) focusInPopup(refocus);
  };

  function onCalendarKeydown(event) {
    const popup = calendar.popup;
    if (!popup) return;
    if (event.key === "Tab") {
      // Piège à focus minimal tant que le focus est dans le calendrier.
      const focusables = Array.from(popup.querySelectorAll("button"))
        .filter((b) => b.getAttribute("tabindex") !== "-1");
      if (!focusables.length) return;
      const first = focusables[0];
      const last = focusables[focusables.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
      return;
    }
    const day = closestFrom(event.target, ".portal-calendar__day");
    if (!day) return;
    const current = parseIso(day.getAttribute("data-date"));
    if (!current) return;
    let next = null;
    switch (event.key) {
      case "ArrowLeft": next = makeDate(current.getFullYear(), current.getMonth(), current.getDate() - 1); break;
      case "ArrowRight": next = makeDate(current.getFullYear(), current.getMonth(), current.getDate() + 1); break;
      case "ArrowUp": next = makeDate(current.getFullYear(), current.getMonth(), current.getDate() - 7); break;
      case "ArrowDown": next = makeDate(current.getFullYear(), current.getMonth(), current.getDate() + 7); break;
      case "PageUp": next = makeDate(current.getFullYear(), current.getMonth() - 1, Math.min(current.getDate(), 28)); break;
      case "PageDown": next = makeDate(current.getFullYear(), current.getMonth() + 1, Math.min(current.getDate(), 28)); break;
      default: return;
    }
    event.preventDefault();
    calendar.year = next.getFullYear();
    calendar.month = next.getMonth();
    calendar.focusDate = next;
    renderCalendar();
    focusInPopup(`.portal-calendar__day[data-date="${formatIso(next)}"]`);
  }

  // Clics : calendrier (actions, bouton bascule, champ, clic extérieur).
  document.addEventListener("click", (event) => {
    const target = event.target;
    const popup = calendar.popup;
    if (popup && !popup.hidden && target instanceof Node && popup.contains(target)) {
      const actionEl = closestFrom(target, "[data-action]");
      if (actionEl) handleCalendarAction(actionEl, event.detail === 0);
      return;
    }
    const toggle = closestFrom(target, "[data-calendar-toggle]");
    if (toggle) {
      const input = inputForToggle(toggle);
      if (input) {
        event.preventDefault();
        if (calendarIsOpen() && calendar.input === input) {
          closeCalendar(true);
        } else {
          openCalendar(input);
          if (calendar.input === input) input.focus({ preventScroll: true });
        }
      }
      return;
    }
    if (isCalendarInput(target)) {
      openCalendar(target);
      return;
    }
    if (calendarIsOpen()) closeCalendar(false);
  });

  // Focus : ouvrir au focus du champ, fermer quand le focus part ailleurs.
  document.addEventListener("focusin", (event) => {
    const target = event.target;
    if (isCalendarInput(target)) {
      if (!calendar.suppressFocusOpen) openCalendar(target);
      return;
    }
    if (!calendarIsOpen()) return;
    if (calendar.popup.contains(target)) return;
    if (closestFrom(target, "[data-calendar-toggle]")) return;
    closeCalendar(false);
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && calendarIsOpen()) {
      const fromInside = calendar.popup.contains(event.target) || event.target === calendar.input;
      if (fromInside || event.target === document.body) {
        event.preventDefault();
        event.stopPropagation();
        closeCalendar(true);
      }
      return;
    }
    // Flèche bas (ou Alt+flèche bas) dans le champ : entrer dans la grille.
    if (event.key === "ArrowDown" && isCalendarInput(event.target) && calendarUsable(event.target)) {
      event.preventDefault();
      openCalendar(event.target);
      focusInPopup('.portal-calendar__day[tabindex="0"]');
    }
  }, true);

  // Saisie au clavier : le calendrier suit la date tapée si elle est valide, et se ferme une fois la date
  // complète (JJ/MM/AAAA) : il ne cache plus la suite du formulaire ni « Enregistrer » (↓ le rouvre).
  document.addEventListener("input", (event) => {
    if (!calendarIsOpen() || event.target !== calendar.input) return;
    const date = parseFrDate(calendar.input.value);
    if (date && /^\d{2}\/\d{2}\/\d{4}$/.test(calendar.input.value.trim())) {
      closeCalendar(false);
      return;
    }
    if (date) {
      calendar.view = "days";
      calendar.year = date.getFullYear();
      calendar.month = date.getMonth();
    }
    renderCalendar();
  });

  window.addEventListener("resize", positionCalendar);
  document.addEventListener("scroll", positionCalendar, true);

  // Si htmx remplace le champ, fermer le calendrier orphelin.
  document.addEventListener("htmx:afterSettle", () => {
    if (calendar.input && !calendar.input.isConnected) closeCalendar(false);
  });

  // Ne pas laisser le calendrier dans l'instantané d'historique de htmx.
  document.addEventListener("htmx:beforeHistorySave", () => {
    closeCalendar(false);
    if (calendar.popup) calendar.popup.remove();
  });

  /* ------------------------------------------------------------------ */
  /* 2. Garde « modifications non enregistrées »                        */
  /* ------------------------------------------------------------------ */

  const GUARD_FORM = "form[data-dirty-guard]";
  let allowUnloadUntil = 0; // horodatage : beforeunload autorisé jusqu'à cet instant
  const confirmedEvents = new WeakSet();

  const allowUnloadBriefly = () => { allowUnloadUntil = Date.now() + 1500; };

  const anyDirtyForm = () =>
    Array.from(document.querySelectorAll(GUARD_FORM)).some((f) => f.dataset.dirty === "true");

  const markDirty = (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    if (target.closest("[data-dirty-ignore], [data-filter-target]")) return;
    const form = (target.form instanceof HTMLFormElement ? target.form : null) ||
      target.closest("form");
    if (form && form.matches(GUARD_FORM)) form.dataset.dirty = "true";
  };
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);

  // Soumettre le formulaire gardé lui-même (Enregistrer) ne doit pas avertir.
  // Écouté en phase de bouillonnement sur document : si htmx a déjà annulé la
  // soumission native (requête AJAX), il n'y a pas de déchargement à autoriser.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form instanceof HTMLFormElement && form.matches(GUARD_FORM) && !event.defaultPrevented) {
      allowUnloadBriefly();
    }
  });

  // L'instantané d'historique de htmx (hx-push-url) ne doit pas garder
  // data-dirty="true" : sinon un retour arrière restaurerait un formulaire
  // « modifié » sans modification. L'état est remis juste après la copie.
  document.addEventListener("htmx:beforeHistorySave", () => {
    const dirtyForms = Array.from(document.querySelectorAll(GUARD_FORM))
      .filter((f) => f.dataset.dirty === "true");
    dirtyForms.forEach((f) => f.removeAttribute("data-dirty"));
    setTimeout(() => {
      dirtyForms.forEach((f) => { if (f.isConnected) f.dataset.dirty = "true"; });
    }, 0);
  });

  window.addEventListener("beforeunload", (event) => {
    if (Date.now() < allowUnloadUntil) return;
    if (!anyDirtyForm()) return;
    event.preventDefault();
    event.returnValue = "";
  });

  const isNewTabClick = (event, el) =>
    el instanceof HTMLAnchorElement &&
    (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey ||
      (el.target && el.target !== "_self"));

  // Phase de capture : s'exécute avant les gestionnaires de htmx posés sur l'élément.
  document.addEventListener("click", (event) => {
    const el = closestFrom(event.target, "[data-leave-guard]");
    if (!el || !anyDirtyForm()) return;
    if (isNewTabClick(event, el)) return;
    if (window.confirm(LEAVE_MESSAGE)) {
      confirmedEvents.add(event);
      allowUnloadBriefly();
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);

  // Filet de sécurité pour les éléments htmx déclenchés autrement que par un clic.
  document.addEventListener("htmx:confirm", (event) => {
    const el = event.target;
    if (!(el instanceof Element) || !el.matches("[data-leave-guard]")) return;
    const trigger = event.detail && event.detail.triggeringEvent;
    if (trigger && confirmedEvents.has(trigger)) return;
    if (trigger && trigger.type === "click") return; // déjà traité en capture
    if (!anyDirtyForm()) return;
    if (!window.confirm(LEAVE_MESSAGE)) event.preventDefault();
  });

  /* ------------------------------------------------------------------ */
  /* 3. Messages longs sous les champs                                   */
  /* ------------------------------------------------------------------ */

  const messageDialog = () => {
    let dialog = document.getElementById("message-dialog");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "message-dialog";
      dialog.className = "portal-message-dialog";
      dialog.setAttribute("aria-labelledby", "message-dialog-title");
      const title = document.createElement("h2");
      title.id = "message-dialog-title";
      title.className = "portal-message-dialog__title";
      title.textContent = "Message";
      const text = document.createElement("p");
      text.className = "portal-message-dialog__text";
      text.setAttribute("data-message-text", "");
      const footer = document.createElement("div");
      footer.className = "portal-message-dialog__footer";
      const close = document.createElement("button");
      close.type = "button";
      close.className = "btn btn-primary";
      close.setAttribute("data-message-close", "");
      close.textContent = "Fermer";
      footer.append(close);
      dialog.append(title, text, footer);
      document.body.append(dialog);
    }
    if (!dialog.__portalBound) {
      dialog.__portalBound = true;
      dialog.addEventListener("click", (event) => {
        if (closestFrom(event.target, "[data-message-close]")) {
          dialog.close();
          return;
        }
        // Clic sur le fond (hors de la boîte) : fermer.
        if (event.target === dialog) {
          const r = dialog.getBoundingClientRect();
          const inside = event.clientX >= r.left && event.clientX <= r.right &&
            event.clientY >= r.top && event.clientY <= r.bottom;
          if (!inside) dialog.close();
        }
      });
    }
    return dialog;
  };

  const openMessage = (messageEl) => {
    const dialog = messageDialog();
    let textEl = dialog.querySelector("[data-message-text]");
    if (!textEl) {
      textEl = document.createElement("p");
      textEl.setAttribute("data-message-text", "");
      dialog.prepend(textEl);
    }
    textEl.textContent = (messageEl.textContent || "").trim();
    if (dialog.open) dialog.close();
    if (typeof dialog.showModal === "function") {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
  };

  document.addEventListener("click", (event) => {
    const message = closestFrom(event.target, ".field-message");
    if (message && !closestFrom(event.target, "a, button")) openMessage(message);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    const message = closestFrom(event.target, ".field-message");
    if (message && event.target === message) {
      event.preventDefault();
      openMessage(message);
    }
  });

  /* ------------------------------------------------------------------ */
  /* 4. Filtre instantané des listes de choix                            */
  /* ------------------------------------------------------------------ */

  const normalize = (text) =>
    (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();

  const applyFilter = (input) => {
    const selector = input.getAttribute("data-filter-target");
    let target = null;
    try { target = selector ? document.querySelector(selector) : null; } catch (_) { target = null; }
    if (!target) return;
    const query = normalize(input.value);
    let visible = 0;
    target.querySelectorAll("[data-filter-item]").forEach((item) => {
      const match = !query || normalize(item.textContent).includes(query);
      item.hidden = !match;
      if (match) visible += 1;
    });
    target.querySelectorAll("[data-filter-empty]").forEach((empty) => {
      empty.hidden = visible > 0;
    });
  };

  document.addEventListener("input", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.hasAttribute("data-filter-target")) applyFilter(input);
  });

  /* ------------------------------------------------------------------ */
  /* Initialisation des éléments (chargement initial + swaps htmx)       */
  /* ------------------------------------------------------------------ */

  onLoad((root) => {
    findAll(root, "input[data-calendar]").forEach((input) => {
      if (!input.hasAttribute("autocomplete")) input.setAttribute("autocomplete", "off");
      if (!input.hasAttribute("placeholder")) input.setAttribute("placeholder", "JJ/MM/AAAA");
      // The WAI-ARIA date picker pattern: a combobox whose popup is the calendar dialog (a plain textbox may not
      // carry aria-expanded).
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-haspopup", "dialog");
      input.setAttribute("aria-expanded", "false");
    });
    findAll(root, "[data-calendar-toggle]").forEach((toggle) => {
      if (toggle instanceof HTMLButtonElement && !toggle.hasAttribute("type")) toggle.type = "button";
      if (!toggle.hasAttribute("aria-label")) toggle.setAttribute("aria-label", "Ouvrir le calendrier");
    });
    findAll(root, ".field-message").forEach((message) => {
      if (!message.hasAttribute("tabindex")) message.setAttribute("tabindex", "0");
      if (!message.hasAttribute("role")) message.setAttribute("role", "button");
      if (!message.hasAttribute("title")) message.setAttribute("title", "Afficher le message complet");
    });
    findAll(root, "input[data-filter-target]").forEach((input) => {
      if (input.value) applyFilter(input);
    });
  });

  // API minimale pour les tests et le débogage.
  window.portal = Object.freeze({
    parseFrDate,
    formatFr,
    openCalendar,
    closeCalendar: () => closeCalendar(false),
    isDirty: anyDirtyForm,
  });
})();
