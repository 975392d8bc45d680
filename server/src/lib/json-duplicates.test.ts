import { describe, expect, it } from "vitest";

import { hasDuplicateKey, nestsDeeperThan } from "./json-duplicates.js";

describe("hasDuplicateKey", () => {
  it.each([
    '{"a":1,"a":2}',
    '{"a":1,"\\u0061":2}',
    '{"x":{"b":[1,{"c":1,"c":1}]}}',
    '[{"a":1},{"b":1,"b":2}]',
    '{"a\\"":1,"a\\"":2}',
    '{"a\\\\":1,"a\\\\":2}',
    ' { "a" : 1 , "a" : 2 } ',
  ])("finds the repeated name in %s", (text) => {
    JSON.parse(text);
    expect(hasDuplicateKey(text)).toBe(true);
  });

  it.each([
    '{"a":1,"b":{"a":1}}',
    '[{"a":1},{"a":1}]',
    '{"a":"\\"a\\":1","b":"a"}',
    '{"a\\\\":1,"a":2}',
    '{"a":"x\\\\","b":"\\\\\\"","c":["a","a"]}',
    "{}",
    "[]",
    '"a"',
    "1",
    "null",
    '{"a":[],"b":{},"c":[{}],"d":1}',
  ])("finds none in %s", (text) => {
    JSON.parse(text);
    expect(hasDuplicateKey(text)).toBe(false);
  });
});

describe("nestsDeeperThan", () => {
  it.each([
    ["[[[1]]]", 2, true],
    ["[[[1]]]", 3, false],
    ['{"a":{"b":[{}]}}', 3, true],
    ['{"a":{"b":[{}]}}', 4, false],
    ["[[],[],[],[]]", 2, false],
    ['{"a":"[[[[{{{{"}', 1, false],
    [String.raw`{"a\\":"\\\"[[["}`, 1, false],
    [String.raw`["\\"]`, 1, false],
    [String.raw`["\\",[[]]]`, 2, true],
    ['"[[[[', 1, false],
    ["", 0, false],
  ] as const)("%s deeper than %d: %s", (text, max, deeper) => {
    expect(nestsDeeperThan(text, max)).toBe(deeper);
  });
});
