import { describe, expect, it } from "vitest";
import { GENESIS_HASH, linkEvents } from "../../src/audit/chain";
import { canonicalJson, sha256Hex } from "../../src/domain/canonical-json";
import { mulberry32 } from "../support/stripe-deliveries";

/**
 * The definition every stored audit hash and request fingerprint was made
 * with: JSON.stringify of the value with each object rebuilt, keys sorted.
 * The product writes the text directly (it is on the shipper's path); it must
 * never give a different byte.
 */
const reference = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

const KEYS = [
  "a",
  "B",
  "b",
  "ab",
  "",
  "é",
  "\u{1F600}",
  "z\n",
  "0",
  "1",
  "9",
  "10",
  "01",
  "-1",
  "1.5",
  "4294967294",
  "4294967295",
  "__proto__",
];
const STRINGS = ["", "plain", 'quote " and \\', "line\nbreak\t", "\u0000\u001f", "é\u2028\u2029", "\uD800 lone", "\u{1F600}"];
const NUMBERS = [0, -0, 1, -17, 1.5, 1e21, 1e-7, 2 ** 53, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, -1e-300];

/** A random JSON-like value, bounded in depth and width; objects built through JSON.parse too, as the shipper gets them. */
function value(random: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const kind = depth >= 4 ? Math.floor(random() * 5) : Math.floor(random() * 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(NUMBERS);
    case 3:
      return pick(STRINGS);
    case 4:
      return random() < 0.5 ? undefined : new Date(Math.floor(random() * 2e12));
    case 5:
      return Array.from({ length: Math.floor(random() * 4) }, () => value(random, depth + 1));
    default: {
      // Built from entries, so "__proto__" is an own key, as JSON.parse makes it.
      const object = Object.fromEntries(Array.from({ length: Math.floor(random() * 6) }, () => [pick(KEYS), value(random, depth + 1)]));
      const text = JSON.stringify(object);
      return random() < 0.5 ? object : JSON.parse(text);
    }
  }
}

describe("canonical JSON", () => {
  it("gives the reference text for 5,000 random values", () => {
    const random = mulberry32(20261207);
    for (let i = 0; i < 5_000; i++) {
      const v = value(random, 0);
      expect(canonicalJson(v), JSON.stringify(v)).toBe(reference(v));
    }
  });

  it("orders index-like keys numerically first, as every object does, then the rest by code unit", () => {
    const v = { b: 1, "10": 2, "9": 3, a: { "2": 0, "01": 0, "1": 0 }, "4294967295": 4, "-1": 5 };
    expect(canonicalJson(v)).toBe('{"9":3,"10":2,"-1":5,"4294967295":4,"a":{"1":0,"2":0,"01":0},"b":1}');
    expect(canonicalJson(v)).toBe(reference(v));
  });

  it("drops undefined members, writes undefined array items as null, and refuses a bigint", () => {
    expect(canonicalJson({ a: undefined, b: [undefined, () => 1], c: null })).toBe('{"b":[null,null],"c":null}');
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it("hashes to lowercase hex of the SHA-256 digest", async () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("links the same chain from the stored text as from the shipper's parsed copy of it", async () => {
    const data = JSON.stringify({ hold: { holdId: "h_1", quantity: 2 }, levels: { onHand: 5, "10": 1, "9": 2 } });
    const event = { stream: "sku:t", seq: 1, type: "hold.created", atMs: 1_000, data };
    const [fromText] = linkEvents(GENESIS_HASH, [event]);
    const [fromBody] = linkEvents(GENESIS_HASH, [{ ...event, body: JSON.parse(data) }]);
    expect(fromBody).toStrictEqual(fromText);
    // The chained event carries the stored text only, never the parsed copy.
    expect(Object.keys(fromBody!).sort()).toEqual(["atMs", "data", "hash", "prevHash", "seq", "stream", "type"]);
  });
});
