import { describe, expect, it } from "vitest";
import { envNumber } from "../../src/platform/env-number";

describe("numeric settings from [vars]", () => {
  it("reads a well-formed value", () => {
    expect(envNumber("604800", 1)).toBe(604800);
    expect(envNumber(" 2.5 ", 1)).toBe(2.5);
    expect(envNumber("0", 1)).toBe(0);
  });

  it("falls back to the default when the value is missing, empty, malformed or out of bounds", () => {
    // RETENTION_SECONDS missing must not become NaN (which would make the object keep every ended hold).
    expect(envNumber(undefined, 604800)).toBe(604800);
    expect(envNumber("", 5_000, { min: 1 })).toBe(5_000);
    expect(envNumber("   ", 1)).toBe(1);
    expect(envNumber("5s", 1)).toBe(1);
    expect(envNumber("-1", 250)).toBe(250);
    expect(envNumber("0", 5_000, { min: 1 })).toBe(5_000);
    expect(envNumber("65", 16, { min: 1, max: 64, integer: true })).toBe(16);
    expect(envNumber("2.5", 16, { min: 1, max: 64, integer: true })).toBe(16);
    expect(envNumber("Infinity", 10)).toBe(10);
  });
});
