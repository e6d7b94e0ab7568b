// Live preview of `saksgang serve` (never part of a built site): reloads the
// page when the site has been built again, and shows the errors of a build
// that failed in a dialog over the last good page. The messages are the
// writer's own text: they are set with textContent only.
(function () {
  "use strict";
  var script = document.currentScript;
  var side = script ? script.getAttribute("data-side") : null;
  var dialog = null;
  var shown = null;
  var dismissed = null;
  var before = null;

  function build() {
    var d = document.createElement("dialog");
    d.className = "direkte-feil";
    d.setAttribute("role", "alertdialog");
    d.setAttribute("aria-labelledby", "direkte-feil-tittel");
    d.setAttribute("aria-describedby", "direkte-feil-hjelp");
    var h = document.createElement("h2");
    h.id = "direkte-feil-tittel";
    h.textContent = "Feil i arkivet: siden ble ikke bygget på nytt";
    var p = document.createElement("p");
    p.id = "direkte-feil-hjelp";
    // Generation 0 is no site yet: there is no last good page under the dialog.
    p.textContent = side === "0"
      ? "Nettstedet kan ikke vises før feilen er rettet. Rett filen og lagre den; siden lastes da på nytt av seg selv."
      : "Siden under er den siste som ble bygget uten feil. Rett filen og lagre den; denne meldingen forsvinner da av seg selv.";
    var pre = document.createElement("pre");
    pre.className = "direkte-feil-meldinger";
    pre.tabIndex = 0;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Lukk (Esc)";
    close.addEventListener("click", function () {
      d.close();
    });
    d.addEventListener("close", function () {
      dismissed = shown;
      shown = null;
      if (before && before.focus) {
        before.focus();
      }
    });
    d.append(h, p, pre, close);
    document.body.append(d);
    return d;
  }

  function show(text) {
    if (text === shown || text === dismissed) {
      return;
    }
    dialog = dialog || build();
    dialog.querySelector("pre").textContent = text;
    if (!dialog.open) {
      before = document.activeElement;
      dialog.showModal();
      dialog.querySelector("button").focus();
    }
    shown = text;
  }

  function hide() {
    dismissed = null;
    if (dialog && dialog.open) {
      dialog.close();
    }
  }

  var events = new EventSource("/__saksgang/hendelser");
  events.addEventListener("tilstand", function (e) {
    var state = JSON.parse(e.data);
    var now = String(state.side);
    if (side === null) {
      side = now;
    } else if (now !== side) {
      // The site on disk is newer than this page.
      location.reload();
      return;
    }
    // For the writer's own checks (and the browser test): the last state seen.
    document.documentElement.setAttribute("data-direkte", state.feil ? "feil" : "ok");
    if (state.feil) {
      show(state.feil);
    } else {
      hide();
    }
  });
})();
