/**
 * Action items on Slack through the real HTTP server, requests signed as Slack signs them, in Slack's documented
 * payload shapes (test/fixtures/slack): `/baton action …`, the "Add to agenda" message shortcut and its modal,
 * and the agenda's checkboxes. The replies are read as rendered.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createActionItem, markActionItemDone } from "../../src/agenda/action-items.ts";
import { ENGINES } from "../support/databases.ts";
import type { TestBaton } from "../support/start-baton.ts";
import {
  CHANNELS,
  type FakeSlack,
  interactionBody,
  postToSlackEndpoint,
  seen,
  slackFixture,
  slackJsonFixture,
  startSlackTestBaton,
  USERS,
} from "./slack-test-kit.ts";

// Wednesday 25 November 2026, evening in London.
const NOW = new Date("2026-11-25T21:30:00Z");
const MESSAGE_TS = "1700000300.000100";

for (const engine of ENGINES) {
  describe(`Slack action items [${engine}]`, () => {
    let t: TestBaton;
    let slack: FakeSlack;
    let stop: () => Promise<void>;

    beforeEach(async () => {
      ({ t, slack, stop } = await startSlackTestBaton({ engine, now: () => NOW }));
    });

    afterEach(() => stop());

    const items = () => t.db.prisma.actionItem.findMany({ orderBy: { createdAt: "asc" } });

    /** `/baton <text>` as Ada in the EMEA channel; the private answer, from the ack or the response URL. */
    async function command(text: string) {
      const posted: Record<string, unknown>[] = [];
      const responseUrl = nock("https://hooks.slack.com")
        .post("/commands/T0TESTTEAM/1234567890/responseSecret", (body) => {
          posted.push(body);
          return true;
        })
        .reply(200, "ok");
      const response = await postToSlackEndpoint(
        t.url,
        slackFixture("slash-command-baton.txt", {
          CHANNEL_ID: CHANNELS.emea,
          USER_ID: USERS.ada,
          USER_NAME: "ada.lovelace",
          TEXT: text,
        }),
      );
      expect(response.status).toBe(200);
      const raw = await response.text();
      const body = raw
        ? (JSON.parse(raw) as { response_type: string; blocks: never[] })
        : await vi.waitFor(() => {
            expect(responseUrl.isDone()).toBe(true);
            return posted[0] as { response_type: string; blocks: never[] };
          });
      expect(body.response_type).toBe("ephemeral");
      return seen({ method: "", args: { blocks: body.blocks } });
    }

    it("/baton action adds an item, names it, its owner and due date privately; list and done work too", async () => {
      expect(await command('action "Fix EMEA routing" <@U000ADA|ada.lovelace> friday emea-sales')).toBe(
        [
          "Added to the EMEA Sales agenda: *Fix EMEA routing*",
          "Owner: Ada Lovelace · due Fri 27 Nov 2026. It stays on every agenda until it is ticked off (or `action done`).",
        ].join("\n"),
      );
      expect(await items()).toMatchObject([
        {
          scope: "emea-sales",
          teamId: "emea-sales",
          text: "Fix EMEA routing",
          owner: `slack:${USERS.ada}`,
          createdBy: `slack:${USERS.ada}`,
          dueAt: new Date("2026-11-27T23:59:59.999Z"),
          status: "open",
          sourceLink: null,
        },
      ]);
      expect(await command("action list emea-sales")).toBe(
        [
          "*Open action items on the EMEA Sales agenda* (1)",
          "1. “Fix EMEA routing” (Ada Lovelace, due Fri 27 Nov 2026)",
          "Close one with `action done <n> emea-sales`.",
        ].join("\n"),
      );
      expect(await command("action done 1 emea-sales")).toBe(
        "Done: “Fix EMEA routing” (Ada Lovelace, due Fri 27 Nov 2026). The next agenda shows it ticked off.",
      );
      expect(await items()).toMatchObject([{ status: "done", doneAt: NOW, doneBy: `slack:${USERS.ada}` }]);
      expect(await command("help")).toContain(
        '`action "text" @owner [due] [team]`: add an action item to the weekly agenda',
      );
    });

    it("/baton action with bad words answers the usage privately and stores nothing", async () => {
      const answer = await command('action "Fix EMEA routing" <@U000ADA> 2026-11-20');
      expect(answer.split("\n")[0]).toBe("2026-11-20 is in the past.");
      expect(answer).toContain('`action "text" @owner [due] [team]`: add an action item');
      expect(await command("action")).toContain(
        '`action` needs the item\'s text and its owner, e.g. `action "Fix EMEA routing" @ada friday`. Usage: `action "text" @owner [due] [team]`',
      );
      expect(await items()).toEqual([]);
    });

    function shortcut(text: string) {
      return postToSlackEndpoint(
        t.url,
        interactionBody(
          slackJsonFixture("message-shortcut-add-to-agenda.json", {
            USER_ID: USERS.charles,
            USER_NAME: "charles.babbage",
            CHANNEL_ID: CHANNELS.emea,
            MESSAGE_TS,
            TEXT: text,
          }),
        ),
      );
    }

    type Modal = {
      callback_id: string;
      private_metadata: string;
      blocks: {
        block_id: string;
        label: { text: string };
        optional?: boolean;
        element: {
          type: string;
          initial_value?: string;
          options?: { text: { text: string }; value: string }[];
          initial_option?: { value: string };
        };
      }[];
    };

    async function openedModal(): Promise<Modal> {
      await vi.waitFor(() => expect(slack.callsTo("views.open")).toHaveLength(1));
      const opened = slack.callsTo("views.open")[0].args as { trigger_id: string; view: Modal };
      expect(opened.trigger_id).toBe("13345224609.738474920.8088930838d88f008e3");
      return opened.view;
    }

    function submit(modal: Modal, fields: { text: string; owner: string | null; due: string | null; scope: string }) {
      const payload = slackJsonFixture<{
        view: { state: { values: Record<string, Record<string, Record<string, unknown>>> } };
      }>("view-submission-add-to-agenda.json", {
        USER_ID: USERS.charles,
        USER_NAME: "charles.babbage",
        PRIVATE_METADATA: modal.private_metadata,
        TEXT: fields.text,
        OWNER: "",
        DUE: "",
        SCOPE: fields.scope,
        SCOPE_LABEL: fields.scope,
      });
      // Slack sends null for an empty user select or date picker.
      payload.view.state.values.owner.owner.selected_user = fields.owner;
      payload.view.state.values.due.due.selected_date = fields.due;
      return postToSlackEndpoint(t.url, interactionBody(payload));
    }

    it("the “Add to agenda” shortcut opens the modal prefilled; the submission stores the item with the message's permalink", async () => {
      expect((await shortcut("Can someone chase Initech &amp; Globex about the &lt;renewal&gt;?")).status).toBe(200);
      const modal = await openedModal();
      expect(modal.callback_id).toBe("agenda_add_action_modal");
      expect(
        modal.blocks.map((block) => [block.block_id, block.label.text, block.element.type, block.optional ?? false]),
      ).toEqual([
        ["text", "Action item", "plain_text_input", false],
        ["owner", "Owner", "users_select", false],
        ["due", "Due", "datepicker", true],
        ["scope", "Agenda", "static_select", false],
      ]);
      // The message as its author wrote it; the agenda of the channel's team chosen.
      expect(modal.blocks[0].element.initial_value).toBe("Can someone chase Initech & Globex about the <renewal>?");
      expect(modal.blocks[3].element.options?.map((option) => [option.value, option.text.text])).toEqual([
        ["joint", "Joint sales–marketing agenda"],
        ["emea-sales", "EMEA Sales agenda"],
        ["na-sales", "North America Sales agenda"],
      ]);
      expect(modal.blocks[3].element.initial_option?.value).toBe("emea-sales");

      // No owner and a day gone by: the modal stays open with both errors, nothing stored.
      const refused = await submit(modal, { text: "Chase Initech", owner: null, due: "2026-11-20", scope: "na-sales" });
      expect(await refused.json()).toEqual({
        response_action: "errors",
        errors: { owner: "Choose who does it.", due: "2026-11-20 is in the past." },
      });
      expect(await items()).toEqual([]);

      const accepted = await submit(modal, {
        text: "Chase Initech & Globex about the renewal",
        owner: USERS.grace,
        due: "2026-12-04",
        scope: "na-sales",
      });
      expect(accepted.status).toBe(200);
      expect(await accepted.text()).toBe("");
      expect(slack.callsTo("chat.getPermalink").map((call) => call.args)).toMatchObject([
        { channel: CHANNELS.emea, message_ts: MESSAGE_TS },
      ]);
      expect(await items()).toMatchObject([
        {
          scope: "na-sales",
          teamId: "na-sales",
          text: "Chase Initech & Globex about the renewal",
          owner: `slack:${USERS.grace}`,
          createdBy: `slack:${USERS.charles}`,
          sourceLink: `https://test-corp.slack.test/archives/${CHANNELS.emea}/p1700000300000100`,
          // The end of 4 December in New York, the North America team's time zone.
          dueAt: new Date("2026-12-05T04:59:59.999Z"),
          status: "open",
        },
      ]);
      await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));
      const confirmation = slack.callsTo("chat.postEphemeral")[0];
      expect(confirmation.args).toMatchObject({ channel: CHANNELS.emea, user: USERS.charles });
      expect(seen(confirmation)).toBe(
        [
          "Added to the North America Sales agenda: *Chase Initech & Globex about the renewal*",
          "Owner: Grace Hopper · due Fri 4 Dec 2026. It stays on every agenda until it is ticked off (or `action done`).",
        ].join("\n"),
      );
    });

    it("when Slack gives no permalink, the item links to the message by the workspace's own URL; outside Baton's channels the confirmation is a DM", async () => {
      slack.failNext("chat.getPermalink", { status: 200, body: { ok: false, error: "channel_not_found" } });
      slack.failNext("chat.postEphemeral", { status: 200, body: { ok: false, error: "channel_not_found" } });
      await shortcut("Pricing page is wrong for EMEA");
      const modal = await openedModal();
      const submitted = await submit(modal, {
        text: "Fix the EMEA pricing page",
        owner: USERS.ada,
        due: null,
        scope: "joint",
      });
      expect(await submitted.text()).toBe("");
      expect(await items()).toMatchObject([
        {
          scope: "joint",
          teamId: null,
          owner: `slack:${USERS.ada}`,
          dueAt: null,
          sourceLink: `https://test-corp.slack.com/archives/${CHANNELS.emea}/p1700000300000100`,
        },
      ]);
      await vi.waitFor(() => expect(slack.callsTo("chat.postMessage")).toHaveLength(1));
      const dm = slack.callsTo("chat.postMessage")[0];
      expect(dm.args.channel).toBe(USERS.charles);
      expect(seen(dm)).toBe(
        [
          "Added to the joint sales–marketing agenda: *Fix the EMEA pricing page*",
          "Owner: Ada Lovelace · no due date. It stays on every agenda until it is ticked off (or `action done`).",
        ].join("\n"),
      );
    });

    it("another app's shortcut is acknowledged and ignored; a message shortcut without its message is refused", async () => {
      const payload = slackJsonFixture<Record<string, unknown>>("message-shortcut-add-to-agenda.json", {
        USER_ID: USERS.charles,
        USER_NAME: "charles.babbage",
        CHANNEL_ID: CHANNELS.emea,
        MESSAGE_TS,
        TEXT: "hello",
      });
      const other = await postToSlackEndpoint(t.url, interactionBody({ ...payload, callback_id: "someone_elses" }));
      expect(other.status).toBe(200);
      expect(await other.text()).toBe("");
      const { message: _message, ...withoutMessage } = payload;
      expect((await postToSlackEndpoint(t.url, interactionBody(withoutMessage))).status).toBe(400);
      expect(slack.callsTo("views.open")).toEqual([]);
    });

    function tick(options: string[], selected: string[], user = USERS.grace, headers?: Record<string, string>) {
      const payload = slackJsonFixture<Record<string, unknown>>("block-actions-agenda-checkboxes.json", {
        USER_ID: user,
        USER_NAME: "grace.hopper",
        CHANNEL_ID: CHANNELS.marketing,
        MESSAGE_TS: "1700000400.000200",
        OPTIONS: "",
        INITIAL_OPTIONS: "",
        SELECTED_OPTIONS: "",
      });
      const option = (value: string) => ({ text: { type: "mrkdwn", text: `item ${value}` }, value });
      const message = payload.message as { blocks: { accessory?: Record<string, unknown> }[] };
      Object.assign(message.blocks[1].accessory ?? {}, { options: options.map(option), initial_options: [] });
      (payload.actions as Record<string, unknown>[])[0].selected_options = selected.map(option);
      const state = payload.state as { values: Record<string, Record<string, Record<string, unknown>>> };
      state.values["agenda-actions"].agenda_action_done.selected_options = selected.map(option);
      return postToSlackEndpoint(t.url, interactionBody(payload), { headers });
    }

    it("ticking the agenda's checkboxes marks items done by the clicker, unticking reopens them, once", async () => {
      const create = (text: string) =>
        createActionItem(t.db.prisma, { scope: "joint", text, owner: `slack:${USERS.ada}`, createdBy: null });
      const a = await create("Agree the MQL definition");
      const b = await create("Review EMEA rejects");
      const c = await create("Share the win story");
      await markActionItemDone(t.db.prisma, b.id, `slack:${USERS.charles}`, new Date("2026-11-23T09:00:00Z"));

      // Grace ticks A and unticks B; C stays as it was.
      expect((await tick([a.id, b.id, c.id], [a.id])).status).toBe(200);
      await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(1));
      const byId = async () =>
        Object.fromEntries((await items()).map((item) => [item.id, [item.status, item.doneBy, item.doneAt]]));
      expect(await byId()).toEqual({
        [a.id]: ["done", `slack:${USERS.grace}`, NOW],
        [b.id]: ["open", null, null],
        [c.id]: ["open", null, null],
      });
      const told = slack.callsTo("chat.postEphemeral")[0];
      expect(told.args).toMatchObject({ channel: CHANNELS.marketing, user: USERS.grace });
      expect(seen(told)).toBe(
        [
          "Done: “Agree the MQL definition” (Ada Lovelace). The next agenda shows it ticked off.",
          "Reopened: “Review EMEA rejects” (Ada Lovelace). It carries over to the next agenda again.",
        ].join("\n"),
      );

      // The same click again (Ada's client was a step behind): nothing changes, nobody is told anything.
      expect((await tick([a.id, b.id, c.id], [a.id], USERS.ada)).status).toBe(200);
      // An item Baton no longer has (erased), and a value that is no id at all: told, never a 500.
      expect(
        (await tick([a.id, "0193a7c2-0000-7000-8000-00000000dead"], [a.id, "0193a7c2-0000-7000-8000-00000000dead"]))
          .status,
      ).toBe(200);
      expect((await tick(["not-an-id"], ["not-an-id"])).status).toBe(200);
      await vi.waitFor(() => expect(slack.callsTo("chat.postEphemeral")).toHaveLength(3));
      expect(slack.callsTo("chat.postEphemeral").slice(1).map(seen)).toEqual([
        "Baton has no such action item: it may have been erased. See `action list`.",
        "Baton has no such action item: it may have been erased. See `action list`.",
      ]);
      expect(await byId()).toEqual({
        [a.id]: ["done", `slack:${USERS.grace}`, NOW],
        [b.id]: ["open", null, null],
        [c.id]: ["open", null, null],
      });
      // What the next agenda's loader reads: the open items of the joint agenda.
      expect(await command("action list")).toContain(
        "1. “Review EMEA rejects” (Ada Lovelace)\n2. “Share the win story” (Ada Lovelace)",
      );
    });
  });
}
