// A small suite whose JUnit XML (written by jest-junit) is a p0gate reader fixture.
describe("988 integration", () => {
  test("call dials lifeline", () => { expect("988").toMatch(/^\d+$/); });
  test("text opens sms", () => { expect(1 + 1).toBe(3); });
  test.skip("chat link", () => {});
});
test("offline plan cached", () => { expect(true).toBe(true); });
