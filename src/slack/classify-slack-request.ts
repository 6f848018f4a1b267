/**
 * Sorts a verified Slack request before Bolt sees it:
 * - `handled`: a shape Baton has a listener for, with every field that listener reads present;
 * - `unknown`: well-formed, but nothing in Baton handles it (another slash command, an unknown button, a
 *   `view_closed`, an event Baton did not subscribe to). Bolt would leave it unanswered for 3 s and then answer
 *   404, which Slack shows the user as an error: it is acknowledged at once instead;
 * - `malformed`: signed, but not a shape Slack sends (`payload=null`, `actions: {}`, a submission without its
 *   view, `event: null`). Bolt's listeners would throw on it (500): it is answered 400.
 */

/** What Baton's listeners handle, by kind (see listeners/index.ts). */
export interface HandledSlackRequests {
  actions: readonly string[];
  views: readonly string[];
  /** Callback ids of message and global shortcuts. */
  shortcuts: readonly string[];
  commands: readonly string[];
  events: readonly string[];
}

export type SlackRequestKind =
  | { kind: "handled" }
  | { kind: "unknown"; what: string }
  | { kind: "malformed"; problem: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string" && value.length > 0;
const hasUserId = (body: Json) => isObject(body.user) && isText(body.user.id);

export function classifySlackRequest(
  rawBody: string,
  contentType: string | undefined,
  handled: HandledSlackRequests,
): SlackRequestKind {
  if (contentType?.split(";")[0].trim().toLowerCase() === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(rawBody);
    if (form.has("payload")) {
      let payload: unknown;
      try {
        payload = JSON.parse(form.get("payload") as string);
      } catch {
        return { kind: "malformed", problem: "payload is not JSON" };
      }
      return classifyInteraction(payload, handled);
    }
    if (form.has("ssl_check")) return { kind: "handled" };
    const command = form.get("command");
    if (command === null) return { kind: "unknown", what: "a form without payload or command" };
    if (!handled.commands.includes(command)) return { kind: "unknown", what: `slash command ${command}` };
    if (!isText(form.get("user_id"))) return { kind: "malformed", problem: "slash command without user_id" };
    return { kind: "handled" };
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { kind: "malformed", problem: "body is neither a form nor JSON" };
  }
  if (!isObject(body)) return { kind: "malformed", problem: "body is not a JSON object" };
  if (body.type === "url_verification") return { kind: "handled" };
  if (body.type !== "event_callback") return { kind: "unknown", what: `request type ${describe(body.type)}` };
  if (!isObject(body.event) || !isText(body.event.type)) {
    return { kind: "malformed", problem: "event_callback without an event object" };
  }
  if (!handled.events.includes(body.event.type)) return { kind: "unknown", what: `event ${body.event.type}` };
  return { kind: "handled" };
}

function classifyInteraction(payload: unknown, handled: HandledSlackRequests): SlackRequestKind {
  if (!isObject(payload)) return { kind: "malformed", problem: "payload is not a JSON object" };
  switch (payload.type) {
    case "block_actions": {
      const actions = payload.actions;
      if (
        !Array.isArray(actions) ||
        actions.length === 0 ||
        !actions.every((a) => isObject(a) && isText(a.action_id))
      ) {
        return { kind: "malformed", problem: "block_actions without a list of actions" };
      }
      if (!hasUserId(payload)) return { kind: "malformed", problem: "block_actions without user" };
      const ids = actions.map((action) => (action as Json).action_id as string);
      if (!ids.some((id) => handled.actions.includes(id))) return { kind: "unknown", what: `action ${ids.join(", ")}` };
      return { kind: "handled" };
    }
    case "view_submission": {
      if (!isObject(payload.view) || !isText(payload.view.callback_id)) {
        return { kind: "malformed", problem: "view_submission without a view" };
      }
      if (!hasUserId(payload)) return { kind: "malformed", problem: "view_submission without user" };
      if (!handled.views.includes(payload.view.callback_id)) {
        return { kind: "unknown", what: `view ${payload.view.callback_id}` };
      }
      if (!isObject(payload.view.state) || !isObject(payload.view.state.values)) {
        return { kind: "malformed", problem: "view_submission without state values" };
      }
      return { kind: "handled" };
    }
    case "message_action":
    case "shortcut": {
      if (!isText(payload.callback_id)) return { kind: "malformed", problem: `${payload.type} without a callback_id` };
      if (!hasUserId(payload)) return { kind: "malformed", problem: `${payload.type} without user` };
      if (!handled.shortcuts.includes(payload.callback_id)) {
        return { kind: "unknown", what: `shortcut ${payload.callback_id}` };
      }
      if (payload.type === "message_action" && (!isObject(payload.channel) || !isObject(payload.message))) {
        return { kind: "malformed", problem: "message shortcut without its channel and message" };
      }
      return { kind: "handled" };
    }
    default:
      return { kind: "unknown", what: `interaction ${describe(payload.type)}` };
  }
}

/**
 * A value from the request, for the answer's text: strings as they are, anything else as JSON, cut short. Not
 * `String(value)`: `{"toString": false}` is valid JSON that String() cannot convert.
 */
function describe(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "nothing");
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
