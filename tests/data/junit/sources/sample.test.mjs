// A small suite whose JUnit XML (written by node --test --test-reporter=junit) is a fixture.
import { test, describe } from "node:test";
import assert from "node:assert";

test("top level 988 dial", () => { assert.ok(true); });
test("top level offline fails", () => { assert.strictEqual(1, 2); });
describe("multi device", () => {
  test("alert propagates", () => { assert.ok(true); });
  test("skipped case", { skip: "no device" }, () => {});
});
