/** The labs' number formats and the one matrix reader: each rule pinned by a case named after it. */

import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatCell, formatFixed, formatMatrix, formatNumber, formatValue, groupDigits, parseMatrix, readNumber } from "../../static/js/format.js";

describe("formatValue: a value in a sentence", () => {
  const rules = [
    ["keeps at most four decimals", 1 / 3, "0.3333"],
    ["drops trailing zeros", 2.5, "2.5"],
    ["never writes minus zero", -0.00001, "0"],
    ["leaves padding (null) empty", null, ""],
    ["leaves a non-number empty", Number.NaN, ""],
    ["writes three significant digits from a million up", 1234567, (1234567).toPrecision(3)],
  ];
  for (const [rule, value, text] of rules) test(rule, () => assert.equal(formatValue(value), text));
  test("takes its digits from an option", () => assert.equal(formatValue(Math.PI, { digits: 2 }), "3.14"));
  test("stays right when passed to map (an index is not a digit count)", () => {
    assert.deepEqual([1 / 3, 2 / 3].map(formatValue), [formatValue(1 / 3), formatValue(2 / 3)]);
  });
});

describe("formatCell: a number in a grid cell", () => {
  const rules = [
    ["writes a real minus sign", -2.5, "\u22122.5"],
    ["keeps three decimals", 1 / 3, "0.333"],
    ["rounds from a thousand up to whole numbers", 1234.56, "1235"],
    ["writes infinities as signs", Number.NEGATIVE_INFINITY, "\u2212∞"],
    ["leaves an empty cell empty", null, ""],
  ];
  for (const [rule, value, text] of rules) test(rule, () => assert.equal(formatCell(value), text));
});

describe("formatFixed and formatNumber", () => {
  test("formatFixed keeps whole numbers whole", () => assert.equal(formatFixed(3), "3"));
  test("formatFixed pads the others to its digits", () => assert.equal(formatFixed(0.5), "0.50"));
  test("formatNumber is the shortest faithful text up to six decimals", () => {
    for (const value of [0.1, -3, 1e-7, 2 / 3]) assert.equal(Number(formatNumber(value)), Number(value.toFixed(6)));
  });
});

describe("parseMatrix: one reader, ragged input refused", () => {
  test("reads rows split by ; and numbers by , or spaces", () => {
    assert.deepEqual(parseMatrix("1,2;3 4").matrix, [
      [1, 2],
      [3, 4],
    ]);
  });
  test("reads a typographic minus", () => assert.deepEqual(parseMatrix("\u22121,2").matrix, [[-1, 2]]));
  test("refuses a ragged matrix, naming the row", () => {
    assert.deepEqual(parseMatrix("1,2;3"), { matrix: null, problem: { rule: "ragged", row: 2, count: 1, expected: 2 } });
  });
  test("refuses a word for a number, naming the cell", () => {
    assert.deepEqual(parseMatrix("1,2;3,x"), { matrix: null, problem: { rule: "number", row: 2, col: 2, text: "x" } });
  });
  test("caps rows and columns at maxSide", () => assert.deepEqual(parseMatrix("1,2,3;4,5,6;7,8,9", 2).matrix, [[1, 2], [4, 5]]));
  test("reads back what formatMatrix writes", () => {
    const matrix = [
      [0.5, -1, 2],
      [3, 1e-3, -0.25],
    ];
    assert.deepEqual(parseMatrix(formatMatrix(matrix)).matrix, matrix);
  });
});

describe("readNumber: a number as a person types it", () => {
  const rules = [
    ["reads a plain number", "2.5", 2.5],
    ["reads a typographic minus", "\u22123", -3],
    ["reads an exponent", "1e-3", 0.001],
    ["is null for a lone minus, mid-typing", "-", null],
    ["is null for a word", "abc", null],
    ["is null for a trailing word", "3x", null],
  ];
  for (const [rule, text, value] of rules) test(rule, () => assert.equal(readNumber(text), value));
});

describe("groupDigits: a count grouped by thousands", () => {
  for (const [count, text] of [
    [0, "0"],
    [999, "999"],
    [1000, "1,000"],
    [38720, "38,720"],
    [4097000, "4,097,000"],
    [-123456, "-123,456"],
    [1234.5, "1,234.5"],
  ]) {
    test(`${count} reads ${text}, as en-US grouping writes it`, () => {
      assert.equal(groupDigits(count), text);
      assert.equal(groupDigits(count), count.toLocaleString("en-US", { maximumFractionDigits: 20 }));
    });
  }
});
