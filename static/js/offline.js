// The installed app: the service worker (static/js/sw.js, served at /sw.js) and its "new version" prompt, and the
// outbox: a win posted without a connection waits in IndexedDB on this phone and is sent when the connection is
// back. Each keeps the client_key its form gave it, so one sent twice (two tabs, an answer lost) is stored once.
// The messages it shows are <template>s in templates/_outbox.html.
(function () {
  "use strict";

  const script = document.currentScript;
  const body = document.body;

  // ---- The service worker, and the prompt when a new deploy's worker is waiting.

  let waitingWorker = null;
  let reloadAsked = false;

  function offerReload(worker) {
    const bar = document.getElementById("new-version");
    waitingWorker = worker;
    if (bar) bar.hidden = false;
  }

  if ("serviceWorker" in navigator && script && script.dataset.serviceWorker) {
    navigator.serviceWorker.addEventListener("controllerchange", function () {
      if (reloadAsked) window.location.reload();  // the new worker took over: load the page it serves
    });
    // Once the page has loaded: the worker's first caching never competes with the page for the connection.
    const registered = new Promise(function (resolve) {
      if (document.readyState === "complete") resolve();
      else window.addEventListener("load", resolve, { once: true });
    }).then(function () {
      return navigator.serviceWorker.register(script.dataset.serviceWorker);
    });
    registered
      .then(function (registration) {
        if (registration.waiting && navigator.serviceWorker.controller) offerReload(registration.waiting);
        registration.addEventListener("updatefound", function () {
          const worker = registration.installing;
          worker.addEventListener("statechange", function () {
            // A first worker just starts; only one that replaces another waits for the person's say-so.
            if (worker.state === "installed" && navigator.serviceWorker.controller) offerReload(worker);
          });
        });
      })
      .catch(function (error) {
        console.warn("Microwins works without offline support here:", error);
      });
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("#new-version button") || !waitingWorker) return;
    reloadAsked = true;
    waitingWorker.postMessage("take-over");
  });

  // ---- The outbox: wins saved on this phone, one record per client_key.

  const STORE = "outbox";

  function database() {
    return new Promise(function (resolve, reject) {
      const opening = indexedDB.open("microwins", 1);
      opening.onupgradeneeded = function () {
        opening.result.createObjectStore(STORE, { keyPath: "key" });
      };
      opening.onsuccess = function () { resolve(opening.result); };
      opening.onerror = function () { reject(opening.error); };
    });
  }

  // One transaction: `work(store)` makes one request; this resolves with its result once the transaction is done.
  function outbox(mode, work) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(STORE, mode);
        const request = work(transaction.objectStore(STORE));
        transaction.oncomplete = function () { db.close(); resolve(request.result); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  // Whose wins these are: a signed-in page names its person (and its team, where a win from the offline page
  // goes); the offline page, rendered for no one, goes by the last ones seen here. A signed-out page forgets
  // them, so that after signing out nobody's waiting wins show, and none can be added under their name. A win is
  // only ever sent from its own person's page, and the server checks that it is theirs (X-Outbox-Person).
  const offlinePage = Boolean(document.getElementById("offline-page"));
  if (body.dataset.person) {
    localStorage.setItem("microwins-person", body.dataset.person);
    if (body.dataset.team) localStorage.setItem("microwins-team", body.dataset.team);
  } else if (!offlinePage) {
    localStorage.removeItem("microwins-person");
    localStorage.removeItem("microwins-team");
  }
  const person = body.dataset.person || localStorage.getItem("microwins-person") || "";

  function mine() {
    return outbox("readonly", function (store) { return store.getAll(); }).then(function (entries) {
      return entries
        .filter(function (entry) { return entry.person === person; })
        .sort(function (a, b) { return a.savedAt - b.savedAt; });
    });
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function localDate(moment) {
    const now = new Date(moment);
    return [now.getFullYear(), now.getMonth() + 1, now.getDate()]
      .map(function (n) { return String(n).padStart(2, "0"); })
      .join("-");
  }

  // Put one of _outbox.html's messages in the element `where` (none: empty it); `text` fills its [data-slot].
  function say(where, name, text) {
    const target = document.getElementById(where);
    if (!target) return;
    const template = name && document.getElementById(name);
    if (!template) {
      target.replaceChildren();
      return;
    }
    const message = template.content.cloneNode(true);
    const slot = message.querySelector("[data-slot]");
    if (slot) slot.textContent = text || "";
    target.replaceChildren(message);
  }

  // The list of wins waiting on this phone, where the page has one.
  function show() {
    const box = document.getElementById("outbox");
    if (!box) return Promise.resolve();
    return mine().then(function (entries) {
      const item = document.getElementById("outbox-item").content.firstElementChild;
      const rows = entries.map(function (entry) {
        const row = item.cloneNode(true);
        row.querySelector(".win-text").textContent = entry.text;
        return row;
      });
      document.getElementById("outbox-list").replaceChildren(...rows);
      box.hidden = rows.length === 0;
    });
  }

  // Keep the form's win, as it would have been posted, on this phone; the box is then ready for the next one.
  function save(form) {
    const data = new FormData(form);
    const text = String(data.get("text") || "").trim();
    if (!text) {
      form.elements.text.focus();
      return Promise.resolve();
    }
    if (!person) {  // the offline page, with nobody signed in on this phone since: nowhere for it to go
      say("post-note", "outbox-nobody");
      return Promise.resolve();
    }
    data.delete("csrfmiddlewaretoken");  // a fresh token goes with it when it is sent
    if (!data.get("client_key")) data.set("client_key", newKey());
    if (!data.get("team") && localStorage.getItem("microwins-team")) {
      data.set("team", localStorage.getItem("microwins-team"));  // the team it was written for, not the one current later
    }
    const entry = {
      key: data.get("client_key"),
      person: person,
      text: text,
      action: form.getAttribute("action"),
      fields: Array.from(data.entries()),
      savedAt: Date.now(),
    };
    return outbox("readwrite", function (store) { return store.put(entry); })
      .then(function () {
        const key = form.elements.client_key;
        if (!key || key.value === entry.key) {  // not begun anew meanwhile: ready for the next win, under a new key
          if (key) key.value = newKey();
          form.elements.text.value = "";
          if (form.elements.note) form.elements.note.value = "";
        }
        say("post-note", "outbox-saved");
        return show();
      })
      .catch(function () {
        say("post-note", "outbox-unsaved");
      });
  }

  // Offline, the box's post is kept here instead of sent (before htmx sees it: this listens first, on capture).
  // The offline page's box always keeps it: that page exists because the site could not be reached.
  document.addEventListener(
    "submit",
    function (event) {
      const form = event.target.closest("form[data-outbox]");
      if (!form || (form.dataset.outbox !== "always" && navigator.onLine)) return;
      event.preventDefault();
      event.stopPropagation();
      save(form);
    },
    true,
  );
  // Online as far as the phone knew, but the post never got an answer: keep it, and send it again later.
  document.addEventListener("htmx:sendError", function (event) {
    const form = event.detail.elt;
    if (form.matches && form.matches("form[data-outbox]")) save(form);
  });

  // ---- Sending: from a page of the win's person, when online; one at a time, oldest first.

  function csrfToken() {
    const cookie = document.cookie.split("; ").find(function (c) { return c.startsWith("csrftoken="); });
    if (cookie) return cookie.slice("csrftoken=".length);
    try {
      return JSON.parse(body.getAttribute("hx-headers"))["x-csrftoken"];
    } catch (error) {
      return "";
    }
  }

  // "stored" (now or before), "refused" (the form said what is wrong), or why it must wait: "signed-out",
  // "forbidden", "later".
  function post(entry) {
    const fields = new URLSearchParams(entry.fields);
    // The offline page's box has no date: a win sent on the day it was saved is the server's today (in the
    // person's time zone); one saved on an earlier day keeps that day, as this phone counted it.
    if (!fields.get("day") && localDate(entry.savedAt) !== localDate(Date.now())) {
      fields.set("day", localDate(entry.savedAt));
    }
    return fetch(entry.action, {
      method: "POST",
      body: fields,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true", "X-Outbox-Person": entry.person },
    }).then(
      function (response) {
        if (response.redirected) return "signed-out";  // sent to the sign-in page
        if (response.status === 409) return "signed-out";  // someone else is signed in now: it waits for its person
        if (response.status === 403) return "forbidden";
        if (!response.ok) return "later";
        const events = response.headers.get("HX-Trigger") || "";
        if (events.includes("win-posted") || events.includes("win-already-posted")) return "stored";
        return response.text().then(function (html) {
          const error = new DOMParser().parseFromString(html, "text/html").querySelector(".errorlist");
          entry.problem = error ? error.textContent.trim() : "";
          return "refused";
        });
      },
      function () { return "later"; },
    );
  }

  function forget(entry) {
    return outbox("readwrite", function (store) { return store.delete(entry.key); });
  }

  // A win the form refused (a date now over a week back, a kind since removed): back in Today's box, if it is
  // empty, with what was wrong; otherwise it waits for that.
  function putBack(entry) {
    const form = document.querySelector("form[data-outbox='offline']");
    if (!form || form.elements.text.value.trim()) return Promise.resolve();
    entry.fields.forEach(function (pair) {
      if ((pair[0] === "text" || pair[0] === "note") && form.elements[pair[0]]) form.elements[pair[0]].value = pair[1];
    });
    say("post-note", "outbox-refused", entry.problem);
    return forget(entry);
  }

  let sending = false;

  function send() {
    if (sending || !navigator.onLine || !body.dataset.person) return Promise.resolve();
    sending = true;
    let sent = 0;
    let stopped = "";
    return mine()
      .then(function (entries) {
        return entries.reduce(function (chain, entry) {
          return chain.then(function () {
            if (stopped) return null;
            return post(entry).then(function (outcome) {
              if (outcome === "stored") {
                sent += 1;
                return forget(entry);
              }
              if (outcome === "refused") return putBack(entry);
              stopped = outcome;  // the others would meet the same: they wait with it
              return null;
            });
          });
        }, Promise.resolve());
      })
      .then(function () {
        if (sent) {
          say("post-note", "outbox-sent");
          if (window.htmx) htmx.trigger(body, "wins-changed");  // Today's list and stats, again
        }
        say("outbox-status", stopped ? "outbox-" + stopped : null);
        return show();
      })
      .catch(function () {})
      .finally(function () {
        sending = false;
      });
  }

  window.addEventListener("online", function () {
    if (document.getElementById("offline-page")) {
      window.location.reload();  // the page that could not load, now: it sends what waits
    } else {
      send();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") send();
  });
  if (window.indexedDB) show().then(send, function () {});
})();
