// Task definitions shared by the producer and the worker: type names and typed payloads.
import { defineTask, jsonCodec } from "@asynq-ts/core";

/** Payload of "email:deliver". */
export interface EmailDelivery {
  readonly userId: number;
  readonly templateId: string;
}

/** Payload of "image:resize". */
export interface ImageResize {
  readonly sourceUrl: string;
  readonly width: number;
}

function emailDelivery(value: unknown): EmailDelivery {
  const v = value as Partial<EmailDelivery> | null;
  if (!Number.isInteger(v?.userId) || typeof v?.templateId !== "string") {
    throw new TypeError("email:deliver needs { userId: integer, templateId: string }");
  }
  return { userId: v.userId as number, templateId: v.templateId };
}

function imageResize(value: unknown): ImageResize {
  const v = value as Partial<ImageResize> | null;
  if (typeof v?.sourceUrl !== "string" || !(typeof v.width === "number" && v.width > 0)) {
    throw new TypeError("image:resize needs { sourceUrl: string, width: positive number }");
  }
  return { sourceUrl: v.sourceUrl, width: v.width };
}

export const deliverEmail = defineTask("email:deliver", jsonCodec(emailDelivery));
export const resizeImage = defineTask("image:resize", jsonCodec(imageResize));
