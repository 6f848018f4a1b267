/**
 * The "Add to agenda" modal's submission: checked field by field (errors shown on the fields, the modal kept
 * open with what was typed), then stored with a link back to the message, and confirmed privately to the person
 * in the message's channel.
 */
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { resolveDueDate } from "../../../domain/agenda/action-item-due.ts";
import { describeOwner } from "../../../domain/agenda/action-item-messages.ts";
import {
  type AddToAgendaContext,
  AGENDA_ACTION_FIELDS,
  fallbackPermalink,
  parseAddToAgendaContext,
  readAddToAgendaSubmission,
} from "../../agenda-action-modal.ts";
import { type SlackListenerDeps, tellUser } from "../listener-deps.ts";

const TRY_AGAIN = "Baton couldn't save this just now. Please try again in a moment.";
/** How long to wait for `chat.getPermalink` before building the link itself: the submission is answered in 3 s. */
const PERMALINK_WAIT_MS = 1_000;

type Client = AllMiddlewareArgs["client"];

/** The message's permalink from Slack, else built from the workspace's domain; null when neither is possible. */
async function permalinkOf(client: Client, context: AddToAgendaContext, deps: SlackListenerDeps) {
  let timer: NodeJS.Timeout | undefined;
  try {
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("chat.getPermalink took too long")), PERMALINK_WAIT_MS);
    });
    const answer = await Promise.race([
      client.chat.getPermalink({ channel: context.channel, message_ts: context.messageTs }),
      late,
    ]);
    if (answer.permalink) return answer.permalink;
  } catch (error) {
    deps.logger.warn({ err: error, channel: context.channel }, "no permalink from Slack: building it");
  } finally {
    clearTimeout(timer);
  }
  return fallbackPermalink(context);
}

export function submitAgendaAction(deps: SlackListenerDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs) => {
    const context = parseAddToAgendaContext(view.private_metadata);
    const { actionItems } = deps;
    if (!context || !actionItems) {
      await ack({
        response_action: "errors",
        errors: { [AGENDA_ACTION_FIELDS.text]: "This form is out of date: close it and use “Add to agenda” again." },
      });
      return;
    }
    const submission = readAddToAgendaSubmission(view.state.values);
    const scope = actionItems.scopes().find((candidate) => candidate.id === submission.scope);
    const errors: Record<string, string> = {};
    if (!submission.text) errors[AGENDA_ACTION_FIELDS.text] = "Say what is to be done.";
    if (!submission.owner) errors[AGENDA_ACTION_FIELDS.owner] = "Choose who does it.";
    if (!scope) errors[AGENDA_ACTION_FIELDS.scope] = "Choose the joint agenda or a team's.";
    let dueAt: Date | null = null;
    if (submission.due && scope) {
      const due = resolveDueDate(submission.due, { now: actionItems.now(), timeZone: scope.timeZone });
      if (due.ok) dueAt = due.dueAt;
      else errors[AGENDA_ACTION_FIELDS.due] = due.error;
    }
    if (!scope || !submission.owner || Object.keys(errors).length > 0) {
      await ack({ response_action: "errors", errors });
      return;
    }

    let reply: Awaited<ReturnType<typeof actionItems.add>>["reply"];
    try {
      const owner = `slack:${submission.owner}`;
      ({ reply } = await actionItems.add({
        scope: scope.id,
        text: submission.text,
        owner,
        ownerLabel: describeOwner(owner, actionItems.people()),
        createdBy: `slack:${body.user.id}`,
        sourceLink: await permalinkOf(client, context, deps),
        dueAt,
      }));
    } catch (error) {
      deps.logger.error({ err: error }, "Slack add-to-agenda submission failed");
      // Keep the modal open with what they wrote, so nothing is lost and they can submit again.
      await ack({ response_action: "errors", errors: { [AGENDA_ACTION_FIELDS.text]: TRY_AGAIN } });
      return;
    }
    await ack();
    // The shortcut works on any message, also in channels Baton is not in, where it cannot answer privately:
    // then the confirmation comes as a direct message.
    try {
      await deps.chat.replyPrivately(`slack:${context.channel}`, `slack:${body.user.id}`, reply);
    } catch (error) {
      deps.logger.info({ err: error, channel: context.channel }, "no ephemeral in that channel: confirming by DM");
      await tellUser(deps, { user: body.user.id }, reply);
    }
  };
}
