// The playground page's only script, served as is (no build step): live messages from the server's event stream,
// the Teams view (Microsoft's adaptivecards renderer), card clicks as the chosen rep, and the tool forms.
// Everything shown is rendered by the server; this file only places it and sends what a person does.
(() => {
  const state = JSON.parse(document.getElementById("playground-state").textContent);
  let lastSeq = state.lastSeq;
  /** Set when this page sent an MQL: the next lead card posted anywhere is shown. */
  let followNextCard = false;

  const noticeBox = document.getElementById("notice");
  let noticeTimer;
  function notice(text, tone) {
    noticeBox.textContent = text;
    noticeBox.dataset.tone = tone || "info";
    noticeBox.hidden = false;
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => {
      noticeBox.hidden = true;
    }, 10000);
  }

  async function postJson(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.message || `${response.status} ${response.statusText}`);
    return answer;
  }

  const actor = () => document.getElementById("actor").value;

  // --- Slack or Teams -----------------------------------------------------------------------------------------
  for (const radio of document.querySelectorAll('input[name="view"]')) {
    radio.addEventListener("change", () => {
      if (radio.checked) document.body.dataset.view = radio.value;
    });
  }

  const hostConfig = new AdaptiveCards.HostConfig({
    fontFamily: "'Segoe UI', system-ui, -apple-system, sans-serif",
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    separator: { lineThickness: 1, lineColor: "#D1D1D1" },
    fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
    fontWeights: { lighter: 300, default: 400, bolder: 600 },
    containerStyles: {
      default: {
        backgroundColor: "#FFFFFF",
        foregroundColors: {
          default: { default: "#242424", subtle: "#616161" },
          attention: { default: "#C4314B", subtle: "#C4314B" },
          good: { default: "#237B4B", subtle: "#237B4B" },
          accent: { default: "#4F52B2", subtle: "#4F52B2" },
          warning: { default: "#835C00", subtle: "#835C00" },
        },
      },
    },
    actions: {
      maxActions: 6,
      spacing: "default",
      buttonSpacing: 8,
      actionsOrientation: "horizontal",
      actionAlignment: "left",
    },
    factSet: {
      title: { weight: "bolder", color: "default", size: "default", wrap: true, maxWidth: 160 },
      value: { color: "default", size: "default", wrap: true },
      spacing: 8,
    },
  });

  const escapeHtml = (text) =>
    text.replace(/[&<>"']/g, (char) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char]);

  // Teams formats the markdown subset a TextBlock allows; Microsoft's renderer leaves that to its host. Baton's
  // cards use bold, italic and paragraphs, so that is what is drawn here (everything else stays text).
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    result.outputHtml = escapeHtml(text)
      .split(/\n{2,}/)
      .map(
        (paragraph) =>
          `<p>${paragraph
            .replace(/\*\*(?!\s)([^*]+?)\*\*/g, "<strong>$1</strong>")
            .replace(/(^|[^\w])_(?!\s)([^_]+?)_(?=[^\w]|$)/g, "$1<em>$2</em>")
            .replace(/\n/g, "<br>")}</p>`,
      )
      .join("");
    result.didProcess = true;
  };

  /** Renders an Adaptive Card (JSON from the server's Teams renderer) into `container`. */
  function renderTeamsCard(container, cardJson) {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = hostConfig;
    card.onExecuteAction = (action) => {
      const article = container.closest("article");
      onCardAction(article, action.verb, action.data || {}, "teams", container);
    };
    card.parse(cardJson);
    const element = card.render();
    container.replaceChildren(element);
  }

  function renderTeamsViews(root) {
    for (const container of root.querySelectorAll(".teams-view")) {
      if (container.dataset.rendered) continue;
      renderTeamsCard(container, JSON.parse(container.dataset.card));
      container.dataset.rendered = "true";
    }
  }

  // --- Conversations ------------------------------------------------------------------------------------------
  const panes = () => [...document.querySelectorAll(".pane")];
  const paneOf = (id) => panes().find((pane) => pane.dataset.conversation === id);
  const buttonOf = (id) =>
    [...document.querySelectorAll(".channel")].find((button) => button.dataset.conversation === id);

  function select(id) {
    for (const pane of panes()) pane.hidden = pane.dataset.conversation !== id;
    for (const button of document.querySelectorAll(".channel")) {
      if (button.dataset.conversation === id) {
        button.setAttribute("aria-current", "true");
        const unread = button.querySelector(".unread");
        unread.hidden = true;
        unread.textContent = "";
      } else {
        button.removeAttribute("aria-current");
      }
    }
  }

  document.querySelector(".sidebar").addEventListener("click", (event) => {
    const button = event.target.closest(".channel");
    if (button) select(button.dataset.conversation);
  });

  /** A conversation the page did not list yet (a first direct message): its pane and its button. */
  function ensureConversation(event) {
    if (paneOf(event.conversation)) return;
    const sigil = event.conversationKind === "direct" ? "@" : "#";
    const pane = document.createElement("section");
    pane.className = "pane";
    pane.dataset.conversation = event.conversation;
    pane.setAttribute("aria-label", event.label);
    pane.hidden = true;
    const title = document.createElement("h2");
    title.className = "pane-title";
    title.textContent = `${sigil} ${event.label}`;
    const messages = document.createElement("div");
    messages.className = "messages";
    messages.setAttribute("role", "log");
    messages.setAttribute("aria-live", "polite");
    pane.append(title, messages);
    document.getElementById("panes").append(pane);

    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "channel";
    button.dataset.conversation = event.conversation;
    button.title = event.conversation;
    const mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = sigil;
    const unread = document.createElement("span");
    unread.className = "unread";
    unread.hidden = true;
    button.append(mark, ` ${event.label}`, unread);
    item.append(button);
    document.getElementById(event.conversationKind === "direct" ? "direct-list" : "channel-list").append(item);
  }

  function markUnread(id) {
    const unread = buttonOf(id)?.querySelector(".unread");
    if (!unread) return;
    unread.textContent = String(Number(unread.textContent || 0) + 1);
    unread.hidden = false;
  }

  function place(event) {
    ensureConversation(event);
    const template = document.createElement("template");
    template.innerHTML = event.html.trim();
    const fresh = template.content.firstElementChild;
    const existing = document.getElementById(fresh.id);
    if (existing) {
      // An update replaces the message itself; its thread stays.
      existing.querySelector(".message-main").replaceWith(fresh.querySelector(".message-main"));
      existing.dataset.seq = fresh.dataset.seq;
      renderTeamsViews(existing);
      return;
    }
    const pane = paneOf(event.conversation);
    const parent = event.threadOf
      ? [...pane.querySelectorAll("article")].find((article) => article.dataset.messageId === event.threadOf)
      : undefined;
    (parent ? parent.querySelector(".thread") : pane.querySelector(".messages")).append(fresh);
    const empty = pane.querySelector(".empty");
    if (empty) empty.hidden = true;
    renderTeamsViews(fresh);
    if (event.isLeadCard && event.kind === "post" && followNextCard) {
      followNextCard = false;
      select(event.conversation);
    } else if (pane.hidden) {
      markUnread(event.conversation);
    }
  }

  const events = new EventSource(`/playground/events?after=${lastSeq}`);
  events.addEventListener("message", (message) => {
    const event = JSON.parse(message.data);
    lastSeq = Math.max(lastSeq, event.seq);
    place(event);
  });

  // --- Card buttons, as the chosen rep -------------------------------------------------------------------------
  async function onCardAction(article, action, data, view, container) {
    try {
      if (action === "lead_refresh") {
        // Teams' "Cancel" on the reject form: the card as it stands.
        const teamsView = article.querySelector(".teams-view");
        renderTeamsCard(teamsView, JSON.parse(teamsView.dataset.card));
        return;
      }
      if (action === "lead_reject" && view === "slack") {
        openRejectDialog(data.leadId);
        return;
      }
      const answer = await postJson("/playground/actions", {
        action,
        leadId: data.leadId,
        rep: actor(),
        reason: data.reason,
        comment: data.comment,
        amount: data.amount,
        currency: data.currency,
        form: data.form,
        view,
      });
      if (answer.rejectForm && container) renderTeamsCard(container, answer.rejectForm);
      if (answer.status === "done") notice(answer.notice, "good");
      if (answer.status === "refused") notice(`Only visible to you: ${answer.notice}`, "attention");
    } catch (error) {
      notice(error.message, "attention");
    }
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest(".slack-view .sk-button");
    if (!button) return;
    onCardAction(button.closest("article"), button.dataset.action, { leadId: button.dataset.value }, "slack");
  });

  // Slack's reject modal.
  const dialog = document.getElementById("reject-dialog");
  const rejectForm = document.getElementById("reject-form");
  const reasonField = document.getElementById("reject-reason");
  const commentField = document.getElementById("reject-comment");
  const fieldErrors = {
    reason: document.getElementById("reject-reason-error"),
    comment: document.getElementById("reject-comment-error"),
  };

  function showFieldErrors(errors) {
    for (const [field, element] of Object.entries(fieldErrors)) element.textContent = errors[field] || "";
    reasonField.setAttribute("aria-invalid", String(Boolean(errors.reason)));
    commentField.setAttribute("aria-invalid", String(Boolean(errors.comment)));
    (errors.reason ? reasonField : commentField).focus();
  }

  function openRejectDialog(leadId) {
    rejectForm.reset();
    showFieldErrors({});
    dialog.dataset.leadId = leadId;
    dialog.showModal();
    reasonField.focus();
  }

  document.getElementById("reject-cancel").addEventListener("click", () => dialog.close());
  rejectForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!reasonField.value) {
      showFieldErrors({ reason: "Choose a reason." });
      return;
    }
    try {
      const answer = await postJson("/playground/actions", {
        action: "lead_reject",
        leadId: dialog.dataset.leadId,
        rep: actor(),
        reason: reasonField.value,
        comment: commentField.value,
        view: "slack",
      });
      if (answer.status === "invalid") {
        showFieldErrors(answer.errors);
        return;
      }
      dialog.close();
      notice(
        answer.status === "done" ? answer.notice : `Only visible to you: ${answer.notice}`,
        answer.status === "done" ? "good" : "attention",
      );
    } catch (error) {
      showFieldErrors({ comment: error.message });
    }
  });

  // --- Send an MQL ---------------------------------------------------------------------------------------------
  const sample = document.getElementById("mql-sample");
  const mqlText = document.getElementById("mql-json");
  /** Samples get a fresh externalId each time, or a second send would be a duplicate. */
  const freshId = (id) => `${String(id).replace(/-pg[0-9a-z]+$/, "")}-pg${Date.now().toString(36)}`;
  function fillSample() {
    const mql = JSON.parse(sample.selectedOptions[0].dataset.mql);
    mql.externalId = freshId(mql.externalId);
    mqlText.value = JSON.stringify(mql, null, 2);
  }
  sample.addEventListener("change", fillSample);
  fillSample();

  document.getElementById("mql-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const result = document.getElementById("mql-result");
    try {
      followNextCard = true;
      const { status, answer } = await postJson("/playground/mql", { mql: mqlText.value });
      result.dataset.tone = status === 202 ? "good" : "attention";
      result.textContent =
        status === 202
          ? `${status}: lead ${answer.leadId} ${answer.status}.`
          : `${status}: ${answer?.message ?? "refused"}`;
      if (status !== 202) followNextCard = false;
      try {
        const sent = JSON.parse(mqlText.value);
        if (/-pg[0-9a-z]+$/.test(sent.externalId)) {
          sent.externalId = freshId(sent.externalId);
          mqlText.value = JSON.stringify(sent, null, 2);
        }
      } catch {
        // Hand-written text that is not JSON stays as typed, with the intake's answer above.
      }
    } catch (error) {
      followNextCard = false;
      result.dataset.tone = "attention";
      result.textContent = error.message;
    }
  });

  // --- /baton --------------------------------------------------------------------------------------------------
  document.getElementById("command-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const output = document.getElementById("command-result");
    try {
      const { reply } = await postJson("/playground/command", { text: document.getElementById("command").value });
      output.textContent = reply;
    } catch (error) {
      output.textContent = error.message;
    }
  });

  // --- Routing sandbox ---------------------------------------------------------------------------------------
  document.getElementById("route-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const output = document.getElementById("route-result");
    try {
      const answer = await postJson("/playground/route", { mql: document.getElementById("route-json").value });
      output.textContent = answer.text;
    } catch (error) {
      output.textContent = error.message;
    }
  });

  renderTeamsViews(document);
})();
