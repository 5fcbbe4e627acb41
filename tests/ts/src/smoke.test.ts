import { test } from "node:test";
import assert from "node:assert/strict";
import { BOARD_EVENT_TYPES } from "../../../generated/ts/board.js";
test("smoke", () => { assert.equal(BOARD_EVENT_TYPES.length, 19); });
