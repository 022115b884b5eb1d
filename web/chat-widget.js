/*
 * Clinic chat widget: a small, dependency-free client for the Rasa REST channel.
 *
 * Embed with ONE script tag:
 *   <script src="/chat-widget.js" defer></script>
 * Optional data attributes on that tag:
 *   data-rasa-url      Rasa server base URL (else window.CHAT_CONFIG.rasaUrl from config.js, else same origin)
 *   data-config-url    where to load config.js from (default: next to this script; "none" to skip)
 *   data-css-url       stylesheet URL (default: chat-widget.css next to this script)
 *   data-webhook-path  default "/webhooks/rest/webhook"
 *   data-open          "true" opens the chat on first visit
 *   data-timeout       request timeout in ms (default 60000)
 * Any element with a `data-chat-open` attribute opens the chat when clicked.
 *
 * Security: bot and user text is never parsed as HTML. Bot Markdown goes through a small
 * allow-list renderer that builds DOM nodes (paragraphs, bold, italic, lists, https/mailto/tel links).
 */
(function () {
  "use strict";

  if (window.KlinikChat) {
    return; // loaded twice: keep the first instance
  }

  var MAX_LEN = 1000;
  var HINT_FROM = 800;
  var MAX_HISTORY = 300;
  var STORE = "klinikchat.";
  var LINK_PROTOCOLS = ["https:", "mailto:", "tel:"];

  var T = {
    launcher: "Chat med os",
    title: "Spørg om nakke og iskias",
    intro: "Chatten giver generel viden og kan ikke undersøge dig. Skriv ikke dit navn eller CPR-nummer.",
    notice: "Ved livstruende symptomer: ring 112.",
    restart: "Start forfra",
    close: "Luk chatten",
    logLabel: "Samtale",
    inputLabel: "Skriv din besked",
    placeholder: "Skriv her …",
    send: "Send",
    empty: "Skriv en besked for at begynde, eller tryk på knappen.",
    startButton: "Start samtalen",
    startMessage: "hej",
    startDisplay: "Hej",
    typing: "Svar på vej",
    you: "Dig:",
    bot: "Klinikkens chat:",
    emergencyLabel: "Vigtigt",
    download: "Hent som fil",
    showSummary: "Vis opsummeringen",
    retry: "Prøv igen",
    busy: "Vent et øjeblik – chatten svarer på din forrige besked.",
    emptyInput: "Skriv en besked først.",
    counter: function (n) { return n + " af " + MAX_LEN + " tegn"; },
    tooLong:
      "Du har nået grænsen på " + MAX_LEN + " tegn. Skriv gerne resten i en ny besked.",
    restarted: "Ny samtale startet.",
    newTab: "(åbner i et nyt vindue)",
    errNetwork:
      "Vi kan ikke få forbindelse til chatten lige nu, så din besked blev ikke sendt. Prøv igen om lidt.",
    errServer: "Der skete en fejl hos os, så din besked blev ikke besvaret. Prøv igen om lidt.",
    errRate: "Du har sendt mange beskeder på kort tid. Vent et øjeblik, og prøv så igen.",
    errRequest: "Beskeden kunne ikke modtages. Prøv at skrive den kortere eller på en anden måde.",
    errLost: "Svaret på din sidste besked nåede ikke frem.",
    again: "Du kan sende din besked igen om lidt.",
    errSafety:
      "Har du brug for hjælp nu, så ring til din egen læge eller lægevagten. " +
      "Ved livstruende symptomer: ring 112.",
    noReply: "Chatten havde ikke noget svar til det. Prøv at skrive det på en anden måde.",
  };

  // ------------------------------------------------------------------ configuration
  var script =
    document.currentScript || document.querySelector('script[src*="chat-widget.js"]');
  var data = (script && script.dataset) || {};
  var scriptBase = new URL(".", (script && script.src) || window.location.href);

  function loadScript(src) {
    return new Promise(function (resolve) {
      var s = document.createElement("script");
      s.src = src;
      s.async = true;
      s.onload = s.onerror = function () { resolve(); };
      document.head.appendChild(s);
      setTimeout(resolve, 5000);
    });
  }

  function loadCss(href) {
    return new Promise(function (resolve) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.onload = link.onerror = function () { resolve(); };
      document.head.appendChild(link);
      setTimeout(resolve, 5000);
    });
  }

  function resolveConfig() {
    var cfgUrl = data.configUrl || new URL("config.js", scriptBase).href;
    var needConfig = data.rasaUrl === undefined && !window.CHAT_CONFIG && cfgUrl !== "none";
    var cssUrl = data.cssUrl || new URL("chat-widget.css", scriptBase).href;
    return Promise.all([needConfig ? loadScript(cfgUrl) : null, loadCss(cssUrl)]).then(function () {
      var cfg = window.CHAT_CONFIG || {};
      var base = data.rasaUrl !== undefined ? data.rasaUrl : cfg.rasaUrl || "";
      var path = data.webhookPath || cfg.webhookPath || "/webhooks/rest/webhook";
      var timeout = parseInt(data.timeout || cfg.timeout || "60000", 10);
      return {
        endpoint: String(base).replace(/\/+$/, "") + path,
        timeout: timeout > 0 ? timeout : 60000,
        openOnStart: data.open === "true",
      };
    });
  }

  // ------------------------------------------------------------------ storage (sessionStorage, tab-scoped)
  var memoryStore = {};
  function storeGet(key) {
    try {
      return window.sessionStorage.getItem(STORE + key);
    } catch (e) {
      return Object.prototype.hasOwnProperty.call(memoryStore, key) ? memoryStore[key] : null;
    }
  }
  function storeSet(key, value) {
    try {
      if (value === null) window.sessionStorage.removeItem(STORE + key);
      else window.sessionStorage.setItem(STORE + key, value);
    } catch (e) {
      if (value === null) delete memoryStore[key];
      else memoryStore[key] = value;
    }
  }
  function readJson(key, fallback) {
    try {
      var raw = storeGet(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }

  function newSenderId() {
    var bytes = new Uint8Array(16); // 128 random bits
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); })
      .join("");
  }

  function loadSender() {
    var id = storeGet("sender");
    if (!id || !/^[0-9a-f]{32}$/.test(id)) {
      id = newSenderId();
      storeSet("sender", id);
    }
    return id;
  }

  // ------------------------------------------------------------------ small DOM helpers
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function srOnly(text) {
    return el("span", "kc-sr", text);
  }

  // ------------------------------------------------------------------ safe Markdown renderer
  function safeHref(raw) {
    try {
      var u = new URL(raw);
      if (LINK_PROTOCOLS.indexOf(u.protocol) !== -1) return u.href;
    } catch (e) {
      /* relative or malformed: not a link */
    }
    return null;
  }

  var WORD = /[\p{L}\p{N}]/u;

  // Index of the closing single `ch` for an italic span opened at `start`, or -1.
  function findItalicEnd(text, ch, start) {
    if (start >= text.length || /\s/.test(text[start])) return -1;
    for (var j = start + 1; j < text.length; j++) {
      if (text[j] === "\\") { j++; continue; }
      if (text[j] !== ch) continue;
      if (text[j + 1] === ch) { j++; continue; } // part of a double marker
      if (/\s/.test(text[j - 1])) continue;
      if (ch === "_" && j + 1 < text.length && WORD.test(text[j + 1])) continue; // snake_case
      return j;
    }
    return -1;
  }

  function appendInline(parent, text, depth, inLink) {
    var buf = "";
    var i = 0;
    function flush() {
      if (buf) parent.appendChild(document.createTextNode(buf));
      buf = "";
    }
    while (i < text.length) {
      var ch = text[i];
      if (ch === "\\" && i + 1 < text.length && /[\\`*_{}[\]()#+\-.!>~|]/.test(text[i + 1])) {
        buf += text[i + 1];
        i += 2;
        continue;
      }
      if (depth < 4) {
        var two = text.substr(i, 2);
        if (two === "**" || two === "__") {
          var end2 = text.indexOf(two, i + 2);
          if (end2 > i + 2 && !/\s/.test(text[i + 2]) && !/\s/.test(text[end2 - 1])) {
            flush();
            var strong = el("strong");
            appendInline(strong, text.slice(i + 2, end2), depth + 1, inLink);
            parent.appendChild(strong);
            i = end2 + 2;
            continue;
          }
        }
        if ((ch === "*" || ch === "_") && !(ch === "_" && i > 0 && WORD.test(text[i - 1]))) {
          var end1 = findItalicEnd(text, ch, i + 1);
          if (end1 > 0) {
            flush();
            var em = el("em");
            appendInline(em, text.slice(i + 1, end1), depth + 1, inLink);
            parent.appendChild(em);
            i = end1 + 1;
            continue;
          }
        }
        if (ch === "[" && !inLink) {
          var m = /^\[([^[\]]+)\]\(([^()\s]+)\)/.exec(text.slice(i));
          if (m) {
            var href = safeHref(m[2]);
            if (href) {
              flush();
              var a = el("a", "kc-link");
              a.href = href;
              a.target = "_blank";
              a.rel = "noopener noreferrer";
              appendInline(a, m[1], depth + 1, true);
              if (href.indexOf("https:") === 0) a.appendChild(srOnly(" " + T.newTab));
              parent.appendChild(a);
            } else {
              buf += m[0]; // not an allowed link: shown as plain text
            }
            i += m[0].length;
            continue;
          }
        }
      }
      buf += ch;
      i++;
    }
    flush();
  }

  function renderMarkdown(src) {
    var frag = document.createDocumentFragment();
    var lines = String(src || "").replace(/\r\n?/g, "\n").split("\n");
    var block = null; // {type: "p"|"ul"|"ol", node}
    function close() { block = null; }
    lines.forEach(function (line) {
      if (!line.trim()) { close(); return; }
      var bullet = /^\s*[-*•]\s+(.*)$/.exec(line);
      var number = /^\s*(\d{1,3})[.)]\s+(.*)$/.exec(line);
      var heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (bullet || number) {
        var type = bullet ? "ul" : "ol";
        if (!block || block.type !== type) {
          block = { type: type, node: el(type, "kc-md-list") };
          if (number && number[1] !== "1") block.node.start = parseInt(number[1], 10);
          frag.appendChild(block.node);
        }
        var li = el("li");
        appendInline(li, bullet ? bullet[1] : number[2], 0, false);
        block.node.appendChild(li);
      } else if (heading) {
        close();
        var hp = el("p", "kc-md-heading");
        var hs = el("strong");
        appendInline(hs, heading[1], 1, false);
        hp.appendChild(hs);
        frag.appendChild(hp);
      } else if (block && block.type !== "p" && /^\s+/.test(line)) {
        var last = block.node.lastChild; // indented continuation of a list item
        appendInline(last, " " + line.trim(), 0, false);
      } else if (block && block.type === "p") {
        block.node.appendChild(el("br"));
        appendInline(block.node, line, 0, false);
      } else {
        block = { type: "p", node: el("p") };
        appendInline(block.node, line, 0, false);
        frag.appendChild(block.node);
      }
    });
    return frag;
  }

  // ------------------------------------------------------------------ reply handling
  function firstSentence(text) {
    var line = String(text || "").trim().split("\n")[0];
    var m = /^.*?[.!?](\s|$)/.exec(line); // no look-behind: older Safari cannot parse it
    return m ? m[0] : line;
  }

  function isEmergencyText(text) {
    return /(^|\D)112(\D|$)/.test(firstSentence(text));
  }

  function isObject(x) {
    return x !== null && typeof x === "object" && !Array.isArray(x);
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) return [];
    return buttons
      .filter(function (b) {
        return isObject(b) && typeof b.title === "string" && b.title &&
          (typeof b.payload === "string" || b.payload === undefined);
      })
      .slice(0, 12)
      .map(function (b) {
        return { title: b.title.slice(0, 200), payload: String(b.payload || b.title).slice(0, 500) };
      });
  }

  function cleanFilename(name) {
    var n = String(name || "").replace(/[^\p{L}\p{N}._ -]/gu, "_").replace(/^[.\s]+/, "").slice(0, 80).trim();
    if (!n) n = "opsummering.md";
    if (!/\.[A-Za-z0-9]{1,5}$/.test(n)) n += ".md";
    return n;
  }

  /*
   * Turn one REST reply (a JSON list) into history items.
   * Rasa's REST channel sends each paragraph of a message as its own item and a message's `custom`
   * payload as a separate item right after its text, so:
   *  - a message whose first sentence mentions 112 starts an emergency run that covers the following
   *    paragraphs of this reply, up to the next message with answer buttons;
   *  - {"urgency": "emergency"} marks the items of this reply before it (since the last marker);
   *  - {"summary_markdown", "filename"} attaches a download to the preceding message.
   */
  function itemsFromReply(reply) {
    var items = [];
    var segmentStart = 0;
    var run = false;
    reply.forEach(function (m) {
      if (!isObject(m)) return;
      var text = typeof m.text === "string" ? m.text : "";
      var buttons = cleanButtons(m.buttons);
      if (text || buttons.length) {
        if (isEmergencyText(text)) run = true;
        else if (buttons.length) run = false; // a question with answer buttons is a new message
        items.push({ role: "bot", text: text, buttons: buttons, emergency: run });
      }
      var custom = isObject(m.custom) ? m.custom : null;
      if (!custom) return;
      if (typeof custom.summary_markdown === "string" && custom.summary_markdown) {
        var target = items[items.length - 1];
        if (!target) {
          target = { role: "bot", text: "", buttons: [], emergency: false };
          items.push(target);
        }
        target.download = {
          markdown: custom.summary_markdown.slice(0, 200000),
          filename: cleanFilename(custom.filename),
        };
      }
      if (custom.urgency === "emergency") {
        for (var k = segmentStart; k < items.length; k++) items[k].emergency = true;
        segmentStart = items.length;
        run = false;
      }
    });
    items.forEach(function (item, idx) {
      item.emergencyLead = !!item.emergency && !(idx > 0 && items[idx - 1].emergency);
    });
    return items;
  }

  function errorKind(err) {
    if (err && err.status) {
      if (err.status === 429) return "rate";
      if (err.status >= 400 && err.status < 500) return "request";
      return "server";
    }
    return "network";
  }

  // ------------------------------------------------------------------ the widget
  function Widget(config) {
    this.config = config;
    this.sender = loadSender();
    this.history = readJson("history", []);
    if (!Array.isArray(this.history)) this.history = [];
    this.busy = false;
    this.generation = 0;
    this.nodes = [];
    this.build();
    this.restore();
  }

  Widget.prototype.build = function () {
    var self = this;
    var root = el("div", "kc-root");
    root.setAttribute("lang", "da");
    root.dataset.busy = "false";

    var launcher = el("button", "kc-launcher");
    launcher.type = "button";
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "kc-panel");
    var bubbleIcon = el("span", "kc-launcher-icon");
    bubbleIcon.setAttribute("aria-hidden", "true");
    launcher.appendChild(bubbleIcon);
    launcher.appendChild(el("span", null, T.launcher));

    var panel = el("section", "kc-panel");
    panel.id = "kc-panel";
    panel.hidden = true;
    panel.setAttribute("aria-labelledby", "kc-title");

    var header = el("div", "kc-header");
    var title = el("h2", "kc-title", T.title);
    title.id = "kc-title";
    var actions = el("div", "kc-actions");
    var restart = el("button", "kc-btn kc-restart", T.restart);
    restart.type = "button";
    var close = el("button", "kc-btn kc-close");
    close.type = "button";
    close.setAttribute("aria-label", T.close);
    var x = el("span", null, "×");
    x.setAttribute("aria-hidden", "true");
    close.appendChild(x);
    actions.appendChild(restart);
    actions.appendChild(close);
    header.appendChild(title);
    header.appendChild(actions);

    var notice = el("p", "kc-notice", T.notice);

    var log = el("div", "kc-log");
    log.setAttribute("role", "log");
    log.setAttribute("aria-live", "polite");
    log.setAttribute("aria-label", T.logLabel);
    log.tabIndex = 0;

    var typing = el("div", "kc-typing");
    typing.hidden = true;
    var dots = el("span", "kc-dots");
    dots.setAttribute("aria-hidden", "true");
    for (var d = 0; d < 3; d++) dots.appendChild(el("span"));
    typing.appendChild(dots);
    typing.appendChild(el("span", "kc-typing-text", T.typing));

    var status = el("div", "kc-sr");
    status.setAttribute("role", "status");

    var form = el("form", "kc-form");
    form.setAttribute("novalidate", "");
    var label = el("label", "kc-label", T.inputLabel);
    label.htmlFor = "kc-input";
    var row = el("div", "kc-row");
    var input = el("textarea", "kc-input");
    input.id = "kc-input";
    input.name = "message";
    input.rows = 2;
    input.maxLength = MAX_LEN;
    input.placeholder = T.placeholder;
    input.autocomplete = "off";
    input.setAttribute("aria-describedby", "kc-hint");
    var send = el("button", "kc-send", T.send);
    send.type = "submit";
    row.appendChild(input);
    row.appendChild(send);
    var hint = el("p", "kc-hint");
    hint.id = "kc-hint";
    hint.setAttribute("aria-live", "polite");
    form.appendChild(label);
    form.appendChild(row);
    form.appendChild(hint);

    panel.appendChild(header);
    panel.appendChild(notice);
    panel.appendChild(log);
    panel.appendChild(typing);
    panel.appendChild(status);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(root);

    this.root = root;
    this.panel = panel;
    this.launcher = launcher;
    this.log = log;
    this.typing = typing;
    this.status = status;
    this.input = input;
    this.hint = hint;

    launcher.addEventListener("click", function () { self.open(true); });
    close.addEventListener("click", function () { self.close(true); });
    restart.addEventListener("click", function () { self.reset(); });
    panel.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") {
        ev.preventDefault();
        self.close(true);
      }
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      self.submitInput();
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        self.submitInput();
      }
    });
    input.addEventListener("input", function () { self.updateHint(); });
    document.addEventListener("click", function (ev) {
      var opener = ev.target && ev.target.closest && ev.target.closest("[data-chat-open]");
      if (opener) {
        ev.preventDefault();
        self.open(true);
      }
    });
  };

  Widget.prototype.open = function (focus) {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute("aria-expanded", "true");
    this.root.classList.add("kc-is-open");
    storeSet("open", "1");
    this.scrollToEnd();
    if (focus) this.input.focus();
  };

  Widget.prototype.close = function (focus) {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.root.classList.remove("kc-is-open");
    storeSet("open", null);
    if (focus) this.launcher.focus();
  };

  Widget.prototype.save = function () {
    if (this.history.length > MAX_HISTORY) {
      var drop = this.history.length - MAX_HISTORY;
      this.history.splice(0, drop);
      this.nodes.splice(0, drop).forEach(function (n) { n.remove(); });
    }
    storeSet("history", JSON.stringify(this.history));
  };

  Widget.prototype.restore = function () {
    var self = this;
    var log = this.log;
    log.setAttribute("aria-live", "off"); // do not read the restored history aloud again
    log.textContent = "";
    log.appendChild(el("p", "kc-intro", T.intro)); // static, not part of the history
    this.nodes = [];
    this.history.forEach(function (item) { self.appendNode(item); });
    var pending = readJson("pending", null);
    if (pending && typeof pending.message === "string") {
      storeSet("pending", null); // reloaded while waiting: the answer is lost, offer to resend
      this.addItem({ role: "error", kind: "lost", retry: pending });
    }
    this.renderEmptyState();
    if (storeGet("open") === "1" || (this.config.openOnStart && !this.history.length)) this.open(false);
    setTimeout(function () { log.setAttribute("aria-live", "polite"); }, 0);
  };

  Widget.prototype.renderEmptyState = function () {
    var existing = this.log.querySelector(".kc-empty");
    if (this.history.length) {
      if (existing) existing.remove();
      return;
    }
    if (existing) return;
    var self = this;
    var box = el("div", "kc-empty");
    box.appendChild(el("p", null, T.empty));
    var start = el("button", "kc-btn kc-quick", T.startButton);
    start.type = "button";
    start.addEventListener("click", function () {
      self.send(T.startMessage, T.startDisplay, false);
    });
    box.appendChild(start);
    this.log.appendChild(box);
  };

  Widget.prototype.addItem = function (item) {
    this.history.push(item);
    this.save();
    var node = this.appendNode(item);
    this.renderEmptyState();
    return node;
  };

  Widget.prototype.appendNode = function (item) {
    var node;
    if (item.role === "user") node = this.userNode(item);
    else if (item.role === "bot") node = this.botNode(item);
    else node = this.noteNode(item);
    this.log.appendChild(node);
    this.nodes.push(node);
    return node;
  };

  Widget.prototype.userNode = function (item) {
    var node = el("div", "kc-msg kc-msg--user");
    node.appendChild(srOnly(T.you + " "));
    node.appendChild(el("p", "kc-user-text", item.text)); // textContent only: shown literally
    return node;
  };

  Widget.prototype.botNode = function (item) {
    var self = this;
    var node = el("div", "kc-msg kc-msg--bot");
    node.appendChild(srOnly((item.emergency ? T.emergencyLabel + ". " : "") + T.bot + " "));
    if (item.emergency) {
      node.classList.add("kc-msg--emergency");
      if (item.emergencyLead) {
        var lab = el("p", "kc-emergency-label");
        var icon = el("span", "kc-emergency-icon", "!");
        icon.setAttribute("aria-hidden", "true");
        lab.appendChild(icon);
        lab.appendChild(el("span", null, T.emergencyLabel));
        lab.setAttribute("aria-hidden", "true"); // announced via the sr-only prefix
        node.appendChild(lab);
      }
    }
    if (item.text) {
      var body = el("div", "kc-md");
      body.appendChild(renderMarkdown(item.text));
      node.appendChild(body);
    }
    if (item.download) {
      var dl = item.download;
      var box = el("div", "kc-attach");
      var btn = el("button", "kc-btn kc-download", T.download);
      btn.type = "button";
      btn.addEventListener("click", function () { self.download(dl); });
      box.appendChild(btn);
      var details = el("details", "kc-summary");
      details.appendChild(el("summary", null, T.showSummary));
      var sbody = el("div", "kc-md");
      sbody.appendChild(renderMarkdown(dl.markdown));
      details.appendChild(sbody);
      box.appendChild(details);
      node.appendChild(box);
    }
    if (item.buttons && item.buttons.length && !item.answered) {
      var group = el("div", "kc-quick-group");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Svarmuligheder");
      item.buttons.forEach(function (b) {
        var qb = el("button", "kc-btn kc-quick", b.title);
        qb.type = "button";
        qb.addEventListener("click", function () {
          if (self.busy) {
            self.setHint(T.busy);
            return;
          }
          self.send(b.payload, b.title, false);
        });
        group.appendChild(qb);
      });
      node.appendChild(group);
    }
    return node;
  };

  Widget.prototype.noteNode = function (item) {
    var self = this;
    var node = el("div", "kc-msg kc-msg--note " + (item.kind === "empty" || item.kind === "again" ? "kc-msg--info" : "kc-msg--error"));
    var texts = {
      network: T.errNetwork, server: T.errServer, rate: T.errRate, request: T.errRequest,
      lost: T.errLost, empty: T.noReply, again: T.again,
    };
    node.appendChild(el("p", null, texts[item.kind] || T.errServer));
    if (item.kind !== "empty" && item.kind !== "again") node.appendChild(el("p", "kc-safety", T.errSafety));
    if (item.retry) {
      var btn = el("button", "kc-btn kc-retry", T.retry);
      btn.type = "button";
      btn.addEventListener("click", function () { self.retry(item, node); });
      node.appendChild(btn);
    }
    return node;
  };

  Widget.prototype.removeItem = function (item, node) {
    var idx = this.history.indexOf(item);
    if (idx !== -1) this.history.splice(idx, 1);
    var nidx = this.nodes.indexOf(node);
    if (nidx !== -1) this.nodes.splice(nidx, 1);
    node.remove();
    this.save();
  };

  Widget.prototype.retry = function (item, node) {
    if (this.busy) {
      this.setHint(T.busy);
      return;
    }
    var r = item.retry;
    var hadFocus = node.contains(document.activeElement);
    this.removeItem(item, node);
    if (hadFocus) this.log.focus({ preventScroll: true });
    this.send(r.message, r.display, true);
  };

  // Quick replies belong to the moment they were asked: once the patient answers, they go away.
  Widget.prototype.retireQuickReplies = function () {
    var self = this;
    var moveFocus = false;
    this.history.forEach(function (item, i) {
      if (item.role === "bot" && item.buttons && item.buttons.length && !item.answered) {
        item.answered = true;
        var group = self.nodes[i] && self.nodes[i].querySelector(".kc-quick-group");
        if (group) {
          if (group.contains(document.activeElement)) moveFocus = true;
          group.remove();
        }
      }
    });
    var empty = this.log.querySelector(".kc-empty");
    if (empty && empty.contains(document.activeElement)) moveFocus = true;
    if (moveFocus) this.log.focus({ preventScroll: true });
  };

  Widget.prototype.setHint = function (text) {
    this.hint.textContent = text || "";
  };

  Widget.prototype.updateHint = function () {
    var n = this.input.value.length;
    if (n >= MAX_LEN) this.setHint(T.tooLong);
    else if (n >= HINT_FROM) this.setHint(T.counter(n));
    else this.setHint("");
  };

  Widget.prototype.submitInput = function () {
    var text = this.input.value.trim();
    if (!text) {
      this.setHint(T.emptyInput);
      return;
    }
    if (this.busy) {
      this.setHint(T.busy);
      return;
    }
    if (text.length > MAX_LEN) {
      this.setHint(T.tooLong);
      return;
    }
    this.input.value = "";
    this.setHint("");
    this.send(text, text, false);
  };

  Widget.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.root.dataset.busy = busy ? "true" : "false";
    this.typing.hidden = !busy;
    this.status.textContent = busy ? T.typing + " …" : "";
  };

  Widget.prototype.send = function (message, display, isRetry) {
    var self = this;
    if (this.busy) return;
    this.retireQuickReplies();
    if (!isRetry) this.addItem({ role: "user", text: display });
    var pending = { message: message, display: display };
    storeSet("pending", JSON.stringify(pending));
    var generation = this.generation;
    this.setBusy(true);
    this.scrollToEnd();

    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, this.config.timeout);

    fetch(this.config.endpoint, {
      method: "POST",
      // X-Sender-Id lets a load balancer keep one conversation on one Rasa instance
      headers: { "Content-Type": "application/json", "X-Sender-Id": this.sender },
      body: JSON.stringify({ sender: this.sender, message: message }),
      mode: "cors",
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (res) {
        // refused requests (400/413/429) still carry bot messages explaining why
        return res.json().then(
          function (body) { return { status: res.status, ok: res.ok, body: body }; },
          function () { return { status: res.status, ok: res.ok, body: null }; }
        );
      })
      .then(
        function (r) {
          if (generation !== self.generation) return; // conversation was restarted meanwhile
          var items = Array.isArray(r.body) ? itemsFromReply(r.body) : [];
          if (r.ok && Array.isArray(r.body)) {
            if (!items.length) items = [{ role: "note", kind: "empty" }];
          } else {
            var kind = errorKind({ status: r.ok ? 502 : r.status });
            var retry = kind === "request" ? null : pending;
            if (!items.length) items = [{ role: "error", kind: kind, retry: retry }];
            else if (retry) items.push({ role: "error", kind: "again", retry: retry });
          }
          self.showReply(items);
        },
        function (err) {
          if (generation !== self.generation) return;
          if (window.console) window.console.warn("chat: request failed:", err && err.name);
          self.showReply([{ role: "error", kind: "network", retry: pending }]);
        }
      )
      .then(function () {
        clearTimeout(timer);
        if (generation !== self.generation) return;
        storeSet("pending", null);
        self.setBusy(false);
      });
  };

  Widget.prototype.showReply = function (items) {
    var self = this;
    var first = null;
    items.forEach(function (item) {
      var node = self.addItem(item);
      first = first || node;
    });
    this.scrollToReply(first);
  };

  Widget.prototype.scrollToEnd = function () {
    this.log.scrollTop = this.log.scrollHeight;
  };

  // Show a new reply from its start if it is taller than the log, else scroll to the end.
  Widget.prototype.scrollToReply = function (first) {
    if (!first) return;
    var log = this.log;
    var fromTop = first.offsetTop - 8;
    if (log.scrollHeight - fromTop > log.clientHeight) log.scrollTop = fromTop;
    else this.scrollToEnd();
  };

  Widget.prototype.download = function (dl) {
    var type = /\.txt$/i.test(dl.filename) ? "text/plain" : "text/markdown";
    var blob = new Blob([dl.markdown], { type: type + ";charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = dl.filename;
    a.rel = "noopener";
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 30000);
  };

  Widget.prototype.reset = function () {
    this.generation += 1;
    this.setBusy(false);
    this.sender = newSenderId();
    storeSet("sender", this.sender);
    storeSet("pending", null);
    this.history = [];
    this.save();
    this.restore();
    this.setHint("");
    this.input.value = "";
    this.status.textContent = T.restarted;
    this.open(true);
  };

  // ------------------------------------------------------------------ start
  var api = { ready: null };
  window.KlinikChat = api;

  function start() {
    api.ready = resolveConfig().then(function (config) {
      var w = new Widget(config);
      api.open = function () { w.open(true); };
      api.close = function () { w.close(true); };
      api.reset = function () { w.reset(); };
      // exposed for tests and for embedding pages; never used with untrusted HTML
      api.renderMarkdown = renderMarkdown;
      document.documentElement.dataset.chatReady = "true";
      return api;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
