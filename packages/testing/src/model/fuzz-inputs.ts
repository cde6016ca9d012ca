import fc from "fast-check";

// Hostile inputs for the public enqueue API: every field may be empty, huge, exotic Unicode,
// a prototype-pollution key, a non-finite number or simply of the wrong type. A correct
// library stores each input exactly or refuses it with a coded error; it never crashes.

/** One MiB of bytes, the size of a large real-world payload. */
export const ONE_MIB = 1024 * 1024;

/** Strings that have broken string handling somewhere before. */
export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\t\n",
  "\u0000",
  "__proto__",
  "constructor",
  "prototype",
  "hasOwnProperty",
  "toString",
  "{",
  "}",
  "{q}",
  "a:b:{c}",
  "ü",
  "日本語",
  "🎉",
  "e\u0301",
  "\u202e",
  "\ufeff",
  "\ud800",
  "x\udfff",
  "NaN",
  "x".repeat(70_000),
];

/** Numbers at and around every boundary the options have, and non-finite ones. */
export const NASTY_NUMBERS: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  -0,
  0,
  0.5,
  999,
  1000,
  1500,
  2 ** 31,
  2 ** 53,
  1e300,
  -1e300,
];

/** Any string: nasty, arbitrary code points (lone surrogates included), or graphemes. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: "binary", maxLength: 24 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);

/** Values of the wrong type for every field. */
export const wrongType: fc.Arbitrary<unknown> = fc.constantFrom(
  null,
  true,
  42,
  [],
  {},
  () => "fn",
  Symbol("s"),
  10n,
);

/** Mostly plausible names, sometimes hostile, sometimes not a string at all. */
export const nameInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("default", "critical", "emails", "q-1") },
  { weight: 4, arbitrary: anyString },
  { weight: 1, arbitrary: wrongType },
);

/** Numbers: boundaries, arbitrary integers and doubles, occasionally a wrong type. */
export const numberInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_NUMBERS) },
  { weight: 2, arbitrary: fc.integer({ min: -10, max: 10_000_000 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: wrongType },
);

/** Instants: epoch ms near a fixed "now", invalid and extreme Dates, or any number. */
export function instantInput(now: number): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -3_600_000, max: 86_400_000 }).map((d) => now + d) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        new Date(Number.NaN),
        new Date(0),
        new Date(8.64e15),
        new Date(-8.64e15),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: -3_600_000, max: 86_400_000 }).map((d) => new Date(now + d)),
    },
    { weight: 2, arbitrary: numberInput },
  );
}

/** A headers object built with `JSON.parse`, so `__proto__` is an own key as a user could send. */
function parsedObject(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  return JSON.parse(
    `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`,
  );
}

/** Header records with hostile keys and values, or not records at all. */
export const headersInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(anyString, anyString, { maxKeys: 4 }) },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(fc.constantFrom("__proto__", "constructor", "prototype", "", "ü"), anyString),
        {
          maxLength: 3,
        },
      )
      .map(parsedObject),
  },
  { weight: 1, arbitrary: fc.constant(parsedObject([["a", 1]])) },
  { weight: 1, arbitrary: wrongType },
);

/** Payloads: bytes of any length up to 1 MiB, strings, or wrong types. */
export const payloadInput: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  { weight: 2, arbitrary: fc.constant(new Uint8Array(0)) },
  { weight: 1, arbitrary: fc.constant(null).map(() => new Uint8Array(ONE_MIB).fill(0xab)) },
  { weight: 3, arbitrary: anyString },
  { weight: 1, arbitrary: wrongType.filter((v) => v !== undefined) },
);

/** A value that is usually plausible (`valid`) and sometimes hostile. */
function mostly<T>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: hostile });
}

/** Non-blank names: plain, exotic Unicode, prototype keys, 70 000 characters. */
export const plausibleName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "default",
    "critical",
    "__proto__",
    "constructor",
    "ü",
    "日本語",
    "🎉",
    "x".repeat(70_000),
  ),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ""),
);

/** Task options: any subset of the known keys, each usually plausible, sometimes hostile. */
export function optionsInput(now: number): fc.Arbitrary<unknown> {
  const known = fc.record(
    {
      queue: mostly(plausibleName, nameInput),
      taskId: mostly(plausibleName, nameInput),
      maxRetry: mostly(fc.integer({ min: -5, max: 100 }), numberInput),
      timeout: mostly(
        fc.oneof(fc.constant(0), fc.integer({ min: 1000, max: 86_400_000 })),
        numberInput,
      ),
      deadline: mostly(
        fc.integer({ min: 1, max: 86_400_000 }).map((d) => now + d),
        instantInput(now),
      ),
      unique: mostly(fc.integer({ min: 1000, max: 86_400_000 }), numberInput),
      processAt: mostly(
        fc.integer({ min: -86_400_000, max: 86_400_000 }).map((d) => new Date(now + d)),
        instantInput(now),
      ),
      processIn: mostly(fc.integer({ min: 0, max: 86_400_000 }), numberInput),
      retention: mostly(fc.integer({ min: 0, max: 86_400_000 }), numberInput),
      group: mostly(plausibleName, nameInput),
      headers: mostly(
        fc.dictionary(plausibleName, fc.string({ unit: "grapheme", maxLength: 12 }), {
          maxKeys: 3,
        }),
        headersInput,
      ),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 12, arbitrary: known },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        parsedObject([["__proto__", { queue: "polluted" }]]),
        parsedObject([["constructor", { prototype: { polluted: true } }]]),
        { unknownOption: 1 },
      ),
    },
    { weight: 1, arbitrary: wrongType },
  );
}

/** One fuzzed call of `new Task(type, payload, taskOptions)` then `enqueue(task, enqueueOptions)`. */
export interface EnqueueInput {
  readonly type: unknown;
  readonly payload: unknown;
  readonly taskOptions: unknown;
  readonly enqueueOptions: unknown;
}

/** Fuzzed enqueue calls around `now`. */
export function enqueueInput(now: number): fc.Arbitrary<EnqueueInput> {
  return fc.record({
    type: mostly(plausibleName, nameInput),
    payload: payloadInput,
    // Options are mostly given at one place, so that valid combinations are common.
    taskOptions: fc.oneof(
      { weight: 2, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: optionsInput(now) },
    ),
    enqueueOptions: fc.oneof(
      { weight: 1, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: optionsInput(now) },
    ),
  });
}
