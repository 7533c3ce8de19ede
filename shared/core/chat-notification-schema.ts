import * as z from 'zod/mini';

// Amazon Q Developer in chat applications (formerly AWS Chatbot) renders an SNS message in a
// Slack or Teams channel only when it follows its custom-notification event schema: version "1.0",
// source "custom", optional id, content {textType, title, description, nextSteps, keywords},
// metadata {threadId, summary, eventType, relatedResources, additionalContext (string values),
// enableCustomActions}; only textType "client-markdown" is supported.
// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
// The guide names no per-field length limits; CHAT_CAPS are ours, chosen so a card stays readable
// and its description fits Slack's 3,000-character text block.

/** Our length caps for the chat card's fields. */
export const CHAT_CAPS = {
  title: 250,
  description: 3000,
  step: 500,
  steps: 5,
  keyword: 75,
  keywords: 10,
  thread: 128,
} as const;

const text = (max?: number) =>
  z.string().check(z.minLength(1), ...(max === undefined ? [] : [z.maxLength(max)]));

/** The custom-notification document as the guide documents it, with our caps. */
export const chatNotificationSchema = z.strictObject({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.optional(text()),
  content: z.strictObject({
    textType: z.optional(z.literal('client-markdown')),
    title: z.optional(text(CHAT_CAPS.title)),
    description: text(CHAT_CAPS.description),
    nextSteps: z.optional(z.array(text(CHAT_CAPS.step)).check(z.maxLength(CHAT_CAPS.steps))),
    keywords: z.optional(z.array(text(CHAT_CAPS.keyword)).check(z.maxLength(CHAT_CAPS.keywords))),
  }),
  metadata: z.optional(
    z.strictObject({
      threadId: z.optional(text(CHAT_CAPS.thread)),
      summary: z.optional(text()),
      eventType: z.optional(text()),
      relatedResources: z.optional(z.array(text())),
      additionalContext: z.optional(z.record(z.string(), z.string())),
      enableCustomActions: z.optional(z.boolean()),
    }),
  ),
});
